import { spawn } from 'node:child_process';
import { describe, expect, it } from 'vitest';

const cli = new URL('../fake-artifactory/cli.ts', import.meta.url).pathname;

describe('npm run fake-artifactory', () => {
  it('prints its URL and the demo credentials, serves, and stops on SIGTERM', async () => {
    const child = spawn(process.execPath, ['--import', 'tsx', cli, '--port', '0'], { stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    const url = await new Promise<string>((resolve, reject) => {
      child.stdout.on('data', (chunk: Buffer) => {
        output += chunk.toString();
        const found = /listening on (http:\/\/127\.0\.0\.1:\d+)/.exec(output)?.[1];
        if (found && output.includes('Ctrl+C')) resolve(found);
      });
      child.once('exit', () => reject(new Error(`exited early: ${output}`)));
    });
    expect(output).toMatch(/Demo user:\s+alice \/ alice-demo-password/);
    expect(await (await fetch(`${url}/artifactory/api/system/ping`)).text()).toBe('OK');
    const exited = new Promise<number | null>((resolve) => child.once('exit', resolve));
    child.kill('SIGTERM');
    expect(await exited).toBe(0);
    await expect(fetch(`${url}/artifactory/api/system/ping`)).rejects.toThrow();
  });

  it('refuses a bad port with a clear message', async () => {
    const child = spawn(process.execPath, ['--import', 'tsx', cli, '--port', 'abc'], { stdio: ['ignore', 'pipe', 'pipe'] });
    let stderr = '';
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    const code = await new Promise<number | null>((resolve) => child.once('exit', resolve));
    expect(code).not.toBe(0);
    expect(stderr).toContain('--port needs a number from 0 to 65535');
  });
});
