/**
 * What npm itself sees in a user `.npmrc`: npm's own modules, loaded in-process from the npm
 * installation, doing what @npmcli/config's loadFile does with the user config: `ini.parse` the
 * text, then expand `${VAR}` in every key and parse every value with its type (`parseField`, which
 * trims, expands `${VAR}` and turns `true`/`false`/`null` into values for untyped keys such as the
 * nerf-dart credentials).
 */
import { createRequire } from 'node:module';

const NPM_MODULES = '/usr/lib/node_modules/npm/node_modules';
const load = createRequire(`${NPM_MODULES}/`);

type IniParse = (text: string) => Record<string, unknown>;
type EnvReplace = (text: string, env: Record<string, string>) => string;
type ParseField = (value: unknown, key: string, options: object) => unknown;

const ini = load(`${NPM_MODULES}/ini`) as { parse: IniParse };
const envReplace = load(`${NPM_MODULES}/@npmcli/config/lib/env-replace.js`) as EnvReplace;
const parseField = load(`${NPM_MODULES}/@npmcli/config/lib/parse-field.js`) as ParseField;
const { definitions } = load(`${NPM_MODULES}/@npmcli/config/lib/definitions`) as {
  definitions: Record<string, { type: unknown }>;
};
const types = Object.fromEntries(Object.entries(definitions).map(([key, d]) => [key, d.type]));

/** The environment the properties read with: one variable set, so both kinds of reference occur. */
export const NPM_ENV: Record<string, string> = { NPM_TOKEN: 'from-the-environment' };

/** Whether npm's reader takes the file at all: on one it fails on, npm refuses to start. */
export function npmCanParse(text: string): boolean {
  try {
    ini.parse(text);
    return true;
  } catch {
    return false;
  }
}

/** The user config as npm's config object holds it (`config.data` of the "user" layer), as JSON. */
export function npmReads(text: string): Record<string, unknown> {
  const raw = ini.parse(text);
  const data: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(raw)) {
    const expanded = envReplace(key, NPM_ENV);
    data[expanded] = parseField(value, expanded, {
      platform: 'linux',
      types,
      home: '/home/fuzz',
      env: NPM_ENV,
    });
  }
  // Sections are objects that parseField passes through: JSON makes them comparable.
  return JSON.parse(JSON.stringify(data)) as Record<string, unknown>;
}
