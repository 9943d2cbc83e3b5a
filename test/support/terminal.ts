import { spawn } from 'node:child_process';
import type { SourceCli } from './source-cli.js';

const entry = new URL('../../electron/cli/artikey.ts', import.meta.url).pathname;
const tsx = import.meta.resolve('tsx');
const quote = (arg: string): string => `'${arg.replace(/'/g, `'\\''`)}'`;

/**
 * Runs the source CLI on a real terminal (a pty from util-linux `script`): `answer` sees all it
 * printed so far and says what to type next (each answer is typed once); resolves with the
 * transcript and the exit code.
 */
export function onTerminal(on: SourceCli, args: string[], answer: (screen: string) => string | undefined): Promise<{ code: number; screen: string }> {
  const command = [process.execPath, '--import', tsx, entry, ...args].map(quote).join(' ');
  return new Promise((resolve) => {
    const child = spawn('script', ['-qefc', command, '/dev/null'], { env: { ...on.env, TERM: 'dumb' }, cwd: on.home, stdio: ['pipe', 'pipe', 'pipe'] });
    let screen = '';
    const typed = new Set<string>();
    const react = (chunk: Buffer): void => {
      screen += chunk.toString();
      const next = answer(screen);
      if (next !== undefined && !typed.has(next)) {
        typed.add(next);
        child.stdin.write(next);
      }
    };
    child.stdout.on('data', react);
    child.stderr.on('data', react);
    child.on('close', (code) => {
      child.stdin.end();
      resolve({ code: code ?? -1, screen });
    });
  });
}
