import { basename } from 'node:path';
import { bunLocation, isBunReference } from '../../scan/bun.js';
import { withoutCredentials } from '../../scan/classify.js';
import { bunConfigFile } from '../../scan/locations.js';
import { rememberPrevious } from '../restore-notes.js';
import { editToml, HEADER_EXISTED, noteHeader, readToml, type TomlEdit } from '../toml-file.js';
import { ToolFileError } from '../tool-file.js';
import type { BunSpec } from './bun-spec.js';
import { invalidOption, type TargetKindDefinition } from './definition.js';

/** Where the entry goes: Bun's default registry, or one scope's. */
const placeOf = (spec: { scope: string | null }): { table: string[]; key: string } =>
  spec.scope === null
    ? { table: ['install'], key: 'registry' }
    : { table: ['install', 'scopes'], key: spec.scope };

/** The note in `restore` of what the entry held before Artikey's first write. */
const PREVIOUS = 'registry';

/**
 * What the entry held, as `rememberPrevious` takes it: a URL as the file spells it; a table whose
 * credentials are all `$VAR` references as written; a URL with a password in it, or a table with
 * a plain secret, as the URL alone, so Bun keeps using that registry once Artikey's token goes.
 */
function previousEntry(found: { value: unknown; raw: string }): {
  value: string;
  raw: string;
  secret: boolean;
} {
  const { value, raw } = found;
  const table = (typeof value === 'object' && value !== null ? value : {}) as Record<
    string,
    unknown
  >;
  const url = typeof value === 'string' ? value : table['url'];
  const secrets = ['token', 'password'].map((k) => table[k]).filter((v) => v !== undefined);
  const plain = secrets.some((s) => typeof s !== 'string' || !isBunReference(s));
  if (typeof url !== 'string') return { value: '', raw, secret: plain };
  const bare = withoutCredentials(url);
  if (!plain && bare === url) return { value: '', raw, secret: false };
  return { value: bare, raw: JSON.stringify(bare), secret: false };
}

/** A `$VAR` the person's entry reads its token from, left alone unless they allow replacing it. */
function refuseReference(found: { value: unknown; line: number }, key: string): void {
  const table = found.value;
  if (typeof table !== 'object' || table === null) return;
  const token = (table as Record<string, unknown>)['token'];
  if (typeof token === 'string' && isBunReference(token))
    throw new ToolFileError(
      'tool-file-conflict',
      `${key} (line ${found.line}) takes its token from an environment variable; Artikey left it alone. Remove that entry, or allow replacing it (--replace-references).`,
    );
}

export const bun: TargetKindDefinition<BunSpec> = {
  kind: 'bun',
  holdsToken: true,
  needsUsername: false,
  secretFormat: 'toml',
  scanTool: 'bun',
  sameEntry: (a, b) => a.scope === b.scope,
  defaultPath: bunConfigFile,
  fromRequest: ({ options, artifactoryUrl, path, repo }) => {
    const scope = options.scope?.trim() || null;
    if (scope !== null && !/^@[a-z0-9][a-z0-9._~-]*$/.test(scope))
      throw invalidOption(`--scope "${scope}" is not an npm scope such as @acme`);
    return { kind: 'bun', path, registryUrl: `${artifactoryUrl}api/npm/${repo('npm')}/`, scope };
  },
  describe: (spec) =>
    `bun: ${spec.registryUrl}${spec.scope ? ` for ${spec.scope}` : ' as the install registry'} in ${spec.path}`,
  checkBelongs: (spec, instance) => instance.sameHost(spec.registryUrl),
  // The TOML editor escapes what needs it; only control characters are refused (for all).
  fields: (spec, { token }) => [
    basename(spec.path),
    [
      ['registry URL', spec.registryUrl],
      ['scope', spec.scope ?? ''],
      ['token', token],
    ],
  ],
  writer:
    (spec, { token }, restore, replaceReferences) =>
    (text) => {
      const file = basename(spec.path);
      const { table, key } = placeOf(spec);
      const current = text === null ? undefined : readToml(text, table, key, file);
      if (current !== undefined) {
        if (!replaceReferences) refuseReference(current, [...table, key].join('.'));
        if (restore !== null) {
          const { secret, ...previous } = previousEntry(current);
          rememberPrevious(restore, PREVIOUS, previous, secret);
        }
      }
      noteHeader(restore, text, table, file);
      return editToml(text, [{ table, key, set: { url: spec.registryUrl, token } }], file);
    },
  remover: (record) => (text) => {
    const { table, key } = placeOf(record);
    const previous = record.restore[PREVIOUS];
    const edit: TomlEdit =
      previous === undefined
        ? { table, key, remove: true, dropEmptyTable: !(HEADER_EXISTED in record.restore) }
        : { table, key, putBack: previous };
    return editToml(text, [edit], basename(record.path));
  },
  ownsEntry: (spec, credential) => credential.location === bunLocation(spec.scope, 'token'),
  adopt: (credential) => {
    const match = /^install\.(?:registry|scopes\[(".*")\])\.(?:token|password|url)$/.exec(
      credential.location,
    );
    if (match === null) return 'not a Bun registry entry Artikey can take over; edit it by hand';
    const scope = match[1] === undefined ? null : (JSON.parse(match[1]) as string);
    if (scope !== null && !scope.startsWith('@'))
      return `scope "${scope}" is written without its @; write it as "@${scope}" first`;
    if (credential.url === null) return 'the entry has no registry URL';
    const url = credential.url.endsWith('/') ? credential.url : `${credential.url}/`;
    return {
      target: { kind: 'bun', path: credential.file, registryUrl: url, scope },
      cleanup: null,
    };
  },
};
