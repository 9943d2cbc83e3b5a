import { PassThrough } from 'node:stream';
import { runCli } from '../../electron/cli/run.js';

export interface InProcessRun {
  code: number;
  stdout: string;
  stderr: string;
}

/**
 * `artikey` run in this process with in-memory streams, for what needs no keychain and no
 * server (help, the command line's checks): any use of the engine fails the run.
 */
export async function runInProcess(args: string[]): Promise<InProcessRun> {
  const stdout = new PassThrough();
  const stderr = new PassThrough();
  let out = '';
  let err = '';
  stdout.on('data', (chunk: Buffer) => (out += chunk.toString()));
  stderr.on('data', (chunk: Buffer) => (err += chunk.toString()));
  const stdin = new PassThrough();
  stdin.end();
  const code = await runCli(
    args,
    { stdin, stdout, stderr, env: { NO_COLOR: '1' }, platform: process.platform },
    {
      version: '0.0.0-test',
      artikey: () => {
        throw new Error(`artikey ${args.join(' ')} reached the engine`);
      },
      stateFile: '/nonexistent/state.json',
    },
  );
  return { code, stdout: out, stderr: err };
}
