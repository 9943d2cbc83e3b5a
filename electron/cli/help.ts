import { COMMANDS, GLOBAL_OPTIONS, type CommandSpec, type OptionSpec } from './commands.js';

/** `--repo <key>`, `-y, --yes`: an option as the help shows it. */
const flag = (name: string, option: OptionSpec): string =>
  `${option.short ? `-${option.short}, ` : ''}--${name}${option.type === 'string' ? ` ${option.value ?? '<value>'}` : ''}`;

/** Two columns, the second starting where the widest first cell ends. */
function columns(rows: [string, string][]): string[] {
  const width = Math.max(...rows.map(([left]) => left.length));
  return rows.map(([left, right]) => `  ${left.padEnd(width)}  ${right}`);
}

/** A paragraph in lines of at most 100 characters, the width of the rest of the help. */
function wrap(text: string): string[] {
  const lines: string[] = [];
  for (const word of text.split(' ')) {
    const last = lines.at(-1);
    if (last !== undefined && last.length + 1 + word.length <= 100)
      lines[lines.length - 1] = `${last} ${word}`;
    else lines.push(word);
  }
  return lines;
}

const usageOf = (spec: CommandSpec): string =>
  [
    'artikey',
    spec.name,
    ...spec.arguments,
    ...(Object.keys(spec.options).length > 0 ? ['[options]'] : []),
  ].join(' ');

const optionRows = (spec: CommandSpec): [string, string][] =>
  [...Object.entries(spec.options), ...Object.entries(GLOBAL_OPTIONS)].map(([name, option]) => [
    flag(name, option),
    option.help,
  ]);

const OVERVIEW_EXAMPLES = [
  'artikey login acme.jfrog.io',
  'artikey configure npm acme.jfrog.io --repo npm-virtual',
  'artikey login --help',
];

/** `artikey --help`: every command in a line, and where to find the rest. */
export function overview(): string {
  return [
    'artikey: one login per JFrog Artifactory instance; tokens in your OS keychain, refreshed for you.',
    '',
    'Usage: artikey <command> [arguments] [options]',
    '',
    'Commands:',
    ...columns(
      COMMANDS.map((c) => [
        [c.name, ...c.arguments].join(' '),
        `${c.summary}${c.aliases.length > 0 ? ` (alias: ${c.aliases.join(', ')})` : ''}`,
      ]),
    ),
    '',
    'Options of every command:',
    ...columns(
      Object.entries(GLOBAL_OPTIONS).map(([name, option]) => [flag(name, option), option.help]),
    ),
    '',
    'Examples:',
    ...OVERVIEW_EXAMPLES.map((e) => `  ${e}`),
    '',
    "Run `artikey <command> --help` (or `artikey help <command>`) for a command's options and examples.",
    'Instances can be named by id, display name or any URL of theirs.',
    'Environment: NO_COLOR disables colour; HTTPS_PROXY / NO_PROXY are honoured.',
    '',
  ].join('\n');
}

/** `artikey <command> --help`: its usage, every option it takes with one line each, and examples. */
export function commandHelp(spec: CommandSpec): string {
  return [
    `Usage: ${usageOf(spec)}`,
    '',
    ...wrap(`${spec.summary}.${spec.details ? ` ${spec.details}` : ''}`),
    ...(spec.aliases.length > 0
      ? ['', `Alias: ${spec.aliases.map((a) => `artikey ${a}`).join(', ')}`]
      : []),
    '',
    'Options:',
    ...columns(optionRows(spec)),
    '',
    `With --json: ${spec.json.help}.`,
    '',
    'Examples:',
    ...spec.examples.map((e) => `  ${e}`),
    '',
  ].join('\n');
}

/** The same help as data, for `--help --json`. */
export function helpData(spec: CommandSpec | null): object {
  if (spec === null)
    return {
      usage: 'artikey <command> [arguments] [options]',
      commands: COMMANDS.map((c) => ({
        name: c.name,
        arguments: c.arguments,
        aliases: c.aliases,
        summary: c.summary,
      })),
      options: Object.entries(GLOBAL_OPTIONS).map(([name, option]) => ({
        flag: flag(name, option),
        help: option.help,
      })),
      examples: OVERVIEW_EXAMPLES,
    };
  return {
    command: spec.name,
    usage: usageOf(spec),
    summary: spec.summary,
    ...(spec.details ? { details: spec.details } : {}),
    aliases: spec.aliases,
    options: optionRows(spec).map(([f, help]) => ({ flag: f, help })),
    examples: spec.examples,
    json: spec.json,
  };
}
