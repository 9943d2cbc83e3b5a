import { describe, expect, it } from 'vitest';
import { COMMANDS, GLOBAL_OPTIONS } from '../../electron/cli/commands.js';
import { ensureBuilt, root } from '../support/built.js';
import { runClient } from '../support/clients.js';
import { runInProcess } from '../support/in-process-cli.js';

/**
 * Issue 17: every form of help printed the same 70-line overview. Each command the CLI
 * dispatches (the list run.ts switches over, checked by TypeScript) has its own help: usage,
 * every option it takes with a line saying what it does, and examples; `artikey --help` stays an
 * overview that points there.
 */
describe('help per command', () => {
  const forms = COMMANDS.flatMap((spec) =>
    [
      [spec.name, '--help'],
      [spec.name, '-h'],
      ['help', spec.name],
      ...spec.aliases.map((a) => [a, '--help']),
    ].map((args) => [args.join(' '), spec, args] as const),
  );

  it.each(forms)(
    'artikey %s shows its usage, options with one line each, and examples',
    async (_, spec, args) => {
      const run = await runInProcess(args);
      expect(run).toMatchObject({ code: 0, stderr: '' });
      const help = run.stdout;
      expect(help).toMatch(new RegExp(`^Usage: artikey ${spec.name}\\b`));
      const options = /\nOptions:\n((?: {2}.*\n)+)/.exec(help)?.[1] ?? '';
      for (const [name, option] of Object.entries({ ...spec.options, ...GLOBAL_OPTIONS })) {
        expect(options).toMatch(new RegExp(`^ {2}(-\\w, )?--${name}\\b.* {2}\\S.{10,}$`, 'm'));
        expect(option.help).not.toContain('\n');
      }
      const examples = /\nExamples:\n((?: {2}.*\n)+)/.exec(help)?.[1]?.trimEnd().split('\n') ?? [];
      expect(examples.length).toBeGreaterThanOrEqual(2);
      for (const example of examples) expect(example).toContain(`artikey ${spec.name}`);
      expect(help).toContain('With --json: ');
    },
  );

  it('the overview lists every command once, points to per-command help, and is short', async () => {
    for (const args of [['--help'], ['-h'], ['help']]) {
      const run = await runInProcess(args);
      expect(run.code).toBe(0);
      for (const spec of COMMANDS)
        expect(run.stdout).toMatch(new RegExp(`^ {2}${spec.name}\\b`, 'm'));
      expect(run.stdout).toContain('Run `artikey <command> --help`');
      expect(run.stdout.split('\n').length).toBeLessThan(45);
    }
  });

  it('artikey help nope: a usage error listing the commands', async () => {
    const run = await runInProcess(['help', 'nope']);
    expect(run.code).toBe(2);
    expect(run.stdout).toBe('');
    expect(run.stderr).toBe(
      `artikey: unknown command "nope"; the commands are ${COMMANDS.map((c) => c.name).join(', ')} (see artikey --help) [usage]\n`,
    );
  });

  it('the built CLI shows a command help without a keychain or a server', async () => {
    ensureBuilt();
    const env = { PATH: process.env.PATH, HOME: '/nonexistent', NO_COLOR: '1' };
    const run = await runClient(
      process.execPath,
      [`${root}dist/cli/artikey.js`, 'login', '--help'],
      { env },
    );
    expect(run).toMatchObject({ code: 0, stderr: '' });
    expect(run.stdout).toMatch(/^Usage: artikey login <url> \[options\]\n/);
    expect(run.stdout).toMatch(/\n {2}--token {2,}Log in with an access token/);
    const help = await runClient(
      process.execPath,
      [`${root}dist/cli/artikey.js`, 'help', 'status'],
      { env },
    );
    expect(help.stdout).toMatch(/^Usage: artikey status <instance>\n/);
  });
});
