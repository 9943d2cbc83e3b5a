import { parseArgs } from 'node:util';
import { classifySecret } from '../core/tokens.js';
import {
  COMMANDS,
  GLOBAL_OPTIONS,
  findCommand,
  type CommandName,
  type CommandSpec,
  type OptionSpec,
  type OptionValues,
} from './commands.js';
import { UsageError } from './failure.js';

export interface CommandLine {
  /** Null for `artikey`, `artikey --help`, `artikey --version`. */
  command: (CommandSpec & { name: CommandName }) | null;
  /** Checked against the command's definition, so their types hold. */
  values: OptionValues;
  positionals: string[];
  json: boolean;
}

/** Whether --json was asked for: known even when the rest of the command line is wrong. */
export const wantsJson = (argv: string[]): boolean =>
  argv.slice(0, argv.includes('--') ? argv.indexOf('--') : argv.length).includes('--json');

/**
 * `artikey [global options] <command> [arguments and options in any order] [-- arguments]`.
 * Node's parseArgs splits the words (`--name=x` and `--name x`, `-y`, `--`); it runs with
 * `strict: false` and the tokens are checked here, because its own errors would repeat what was
 * typed (a secret given where an option was expected) and cannot point to the command's help.
 */
export function parseCommandLine(argv: string[]): CommandLine {
  let at = 0;
  while (at < argv.length && argv[at]?.startsWith('-') && argv[at] !== '--') at++;
  const leading = parse(argv.slice(0, at), GLOBAL_OPTIONS, 'artikey --help');
  if (argv[at] === '--') at++;
  const word = argv[at];
  if (word === undefined)
    return {
      command: null,
      values: leading.values as OptionValues,
      positionals: [],
      json: leading.values['json'] === true,
    };
  const command = findCommand(word);
  if (!command) throw unknownCommand(word);
  const rest = parse(
    argv.slice(at + 1),
    { ...command.options, ...GLOBAL_OPTIONS },
    `artikey ${command.name} --help`,
  );
  const values = { ...leading.values, ...rest.values };
  return {
    command,
    values: values as OptionValues,
    positionals: rest.positionals,
    json: values['json'] === true,
  };
}

export function unknownCommand(word: string): UsageError {
  const named =
    classifySecret(word) === 'unknown' ? `unknown command "${word}"` : 'unknown command';
  return new UsageError(
    `${named}; the commands are ${COMMANDS.map((c) => c.name).join(', ')} (see artikey --help)`,
  );
}

function parse(
  args: string[],
  options: Record<string, OptionSpec>,
  help: string,
): { values: Record<string, unknown>; positionals: string[] } {
  const { values, positionals, tokens } = parseArgs({
    args,
    options,
    allowPositionals: true,
    strict: false,
    tokens: true,
  });
  const seen = new Set<string>();
  let previous: string | undefined;
  for (const token of tokens) {
    if (token.kind !== 'option') {
      previous = undefined;
      continue;
    }
    const option = options[token.name];
    const secretFlag = SECRET_FLAGS[token.name as keyof typeof SECRET_FLAGS];
    if (!option) {
      // Most likely the secret itself, typed after a flag that reads it from stdin or a prompt.
      const afterSecretFlag = previous !== undefined && previous in SECRET_FLAGS;
      if (afterSecretFlag)
        throw secretOnCommandLine(
          SECRET_FLAGS[previous as keyof typeof SECRET_FLAGS],
          `--${previous} takes no value`,
        );
      throw new UsageError(
        `unknown option ${nameOf(args[token.index] ?? '', token.rawName)}; see ${help}`,
      );
    }
    if (option.type === 'boolean' && token.value !== undefined) {
      if (secretFlag) throw secretOnCommandLine(secretFlag, `--${token.name} takes no value`);
      throw new UsageError(`--${token.name} takes no value; see ${help}`);
    }
    if (
      option.type === 'string' &&
      (token.value === undefined || (!token.inlineValue && token.value.startsWith('-')))
    ) {
      throw new UsageError(
        `--${token.name} needs a value (${option.value ?? 'a value'}); see ${help}`,
      );
    }
    // A value given twice would silently lose one; a switch given twice loses nothing.
    if (option.type === 'string' && !option.multiple && seen.has(token.name)) {
      throw new UsageError(`--${token.name} is given more than once; give it once (see ${help})`);
    }
    seen.add(token.name);
    previous = token.name;
  }
  return { values, positionals };
}

/**
 * The option as typed, when it looks like one (`--x`, `-x`); otherwise it may be a mistyped secret
 * (`-eyJ…` splits into one-letter options) and only its place is named.
 */
function nameOf(arg: string, rawName: string): string {
  const typed = arg.split('=')[0] ?? '';
  return /^(-[a-zA-Z]|--[a-z][a-z0-9-]*)$/.test(typed) && classifySecret(arg) === 'unknown'
    ? rawName
    : '(not repeated here: it may be a secret)';
}

/**
 * Every local user can read a process's arguments (`ps`, /proc/PID/cmdline), so secrets come on
 * stdin or at a hidden prompt; a value given to these flags on the command line is refused.
 */
const SECRET_FLAGS = {
  token: 'token',
  password: 'password',
  'password-stdin': 'password',
} as const;

/** Says how to pass the secret instead; never repeats what was given. */
export function secretOnCommandLine(kind: 'token' | 'password', what: string): UsageError {
  const how =
    kind === 'token'
      ? '--token reads it from stdin, or asks for it without echo on a terminal. Pipe it: printf %s "$TOKEN" | artikey login <url> --token'
      : '--password asks for it without echo; --password-stdin reads it from stdin. Pipe it: printf %s "$PASSWORD" | artikey login <url> --user <name> --password-stdin';
  return new UsageError(
    `${what}: a ${kind} on the command line is visible to other users of this machine (ps, /proc), so it is refused. ${how}`,
  );
}
