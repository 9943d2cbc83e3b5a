import { parseArgs, type ParseArgsConfig } from 'node:util';

type Options = NonNullable<ParseArgsConfig['options']>;
const COMMON = { port: { type: 'string' }, help: { type: 'boolean', short: 'h' } } as const;

/**
 * The options of a test tool (the fake's CLI, the preview), with `--help` and `--port N` handled
 * the same way in each: a bad option fails with the usage, `--help` prints it and exits, and the
 * port must be a whole number from 0 to 65535.
 */
export function commandLine<const O extends Options>(
  options: O,
  usage: string,
  fail: (message: string) => never,
  { positionals: allowPositionals = false }: { positionals?: boolean } = {},
) {
  let values;
  let positionals: string[];
  try {
    ({ values, positionals } = parseArgs({ options: { ...options, ...COMMON }, allowPositionals }));
  } catch (error) {
    return fail(`${error instanceof Error ? error.message : String(error)}\n${usage}`);
  }
  const common = values as { port?: string; help?: boolean };
  if (common.help) {
    process.stdout.write(`${usage}\n`);
    process.exit(0);
  }
  let port: number | undefined;
  if (common.port !== undefined) {
    port = /^\d+$/.test(common.port) ? Number(common.port) : Number.NaN;
    if (!Number.isInteger(port) || port < 0 || port > 65_535)
      fail(`--port needs a number from 0 to 65535, not "${common.port}"`);
  }
  return { values, port, positionals };
}
