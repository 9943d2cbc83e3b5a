import { basename, join } from 'node:path';
import { yarnRegistryLocation } from '../../scan/yarn.js';
import { rememberPrevious } from '../restore-notes.js';
import { ToolFileError } from '../tool-file.js';
import {
  editYaml,
  entryPlace,
  existingDepth,
  placeText,
  readYaml,
  type YamlEdit,
  type YamlPath,
  type YamlScalar,
} from '../yaml-file.js';
import { invalidOption, type Cleanup, type TargetKindDefinition } from './definition.js';
import type { YarnSpec } from './yarn-spec.js';

/** A migrated registry's `npmAuthIdent` (user:password), which Artikey's token replaces. */
export interface YarnIdentCleanup extends Cleanup {
  kind: 'yarn-ident';
  registryKey: string;
}

/**
 * Yarn reads `npmRegistries` keys with one trailing slash taken off, and for a registry URL uses
 * the entry of the URL itself before the one of the URL without its protocol
 * (`npmConfigUtils.getRegistryConfiguration` in yarnpkg/berry). The slot a key fills:
 */
const slotOf = (key: string): string => key.replace(/\/$/, '');
const withoutProtocol = (url: string): string => url.replace(/^[a-z]+:/, '');

/** `https://host/path/` → `//host/path/`, the form Yarn's documentation writes. */
export const yarnRegistryKey = (registryUrl: string): string => withoutProtocol(registryUrl);

/** The settings Artikey writes, each with the name its previous value is noted under in `restore`. */
function settingsOf(spec: YarnSpec): { note: string; path: YamlPath; secret: boolean }[] {
  const entry = ['npmRegistries', spec.registryKey];
  const settings = [
    { note: 'npmAuthToken', path: [...entry, 'npmAuthToken'], secret: true },
    { note: 'npmAlwaysAuth', path: [...entry, 'npmAlwaysAuth'], secret: false },
  ];
  if (spec.setRegistry)
    settings.push(
      spec.scope === null
        ? { note: 'npmRegistryServer', path: ['npmRegistryServer'], secret: false }
        : {
            note: 'scope npmRegistryServer',
            path: ['npmScopes', spec.scope, 'npmRegistryServer'],
            secret: false,
          },
    );
  return settings;
}

/**
 * `restore` also notes how much of the entry's mappings the file had before Artikey's first write
 * (see `existingDepth`), so removal takes out what Artikey created and keeps what the person wrote.
 */
const REGISTRY_DEPTH = 'npmRegistries depth';
const SCOPE_DEPTH = 'npmScopes depth';

const valueText = (value: unknown): string =>
  typeof value === 'string' ? value : (JSON.stringify(value) ?? '');

/**
 * Another key of the file that Yarn reads for the same registry would override or shadow
 * Artikey's entry (a token written there would never be sent): refused rather than written in vain.
 */
function refuseRivalEntries(text: string | null, spec: YarnSpec, file: string): void {
  if (text === null) return;
  const registries = readYaml(text, ['npmRegistries'], file)?.value;
  if (typeof registries !== 'object' || registries === null) return;
  const ours = slotOf(spec.registryKey);
  const exact = slotOf(spec.registryUrl);
  for (const key of Object.keys(registries)) {
    if (key === spec.registryKey) continue;
    const slot = slotOf(key);
    if (slot === ours || (ours !== exact && slot === exact)) {
      const at = entryPlace(text, ['npmRegistries', key], file)!;
      throw new ToolFileError(
        'tool-file-conflict',
        `${file} already has an entry for this registry, npmRegistries["${key}"] (${placeText(at)}), which Yarn would read instead of Artikey's "${spec.registryKey}"; Artikey left the file untouched. Run \`artikey migrate\` to let Artikey take it over, or remove it, then try again.`,
      );
    }
  }
}

export const yarn: TargetKindDefinition<YarnSpec, YarnIdentCleanup> = {
  kind: 'yarn',
  holdsToken: true,
  needsUsername: false,
  secretFormat: 'yaml',
  scanTool: 'yarn',
  sameEntry: (a, b) => slotOf(a.registryKey) === slotOf(b.registryKey),
  // Yarn reads the home folder's `.yarnrc.yml` by that fixed name (berry's
  // Configuration.findFolderRcFile); YARN_RC_FILENAME renames only the files above a project.
  defaultPath: ({ home }) => join(home, '.yarnrc.yml'),
  fromRequest: ({ options, artifactoryUrl, path, repo }) => {
    const given = options.scope?.trim() || null;
    if (given !== null && !/^@?[a-z0-9][a-z0-9._~-]*$/.test(given))
      throw invalidOption(`--scope "${given}" is not an npm scope such as @acme`);
    const registryUrl = `${artifactoryUrl}api/npm/${repo('npm')}/`;
    return {
      kind: 'yarn',
      path,
      registryUrl,
      registryKey: yarnRegistryKey(registryUrl),
      scope: given === null ? null : given.replace(/^@/, ''),
      setRegistry: options.setRegistry === true || given !== null,
    };
  },
  describe: (spec) =>
    `yarn: ${spec.registryUrl}${spec.scope ? ` for @${spec.scope}` : ''} in ${spec.path}`,
  checkBelongs: (spec, instance) => {
    instance.sameHost(spec.registryUrl);
    const key = spec.registryKey;
    if (slotOf(key) !== slotOf(spec.registryUrl))
      instance.sameHost(/^[a-z]+:/.test(key) ? key : `${new URL(spec.registryUrl).protocol}${key}`);
  },
  // The YAML editor quotes whatever needs it; only control characters are refused (for all).
  fields: (spec, { token }) => [
    basename(spec.path),
    [
      ['registry URL', spec.registryUrl],
      ['registry key', spec.registryKey],
      ['scope', spec.scope ?? ''],
      ['token', token],
    ],
  ],
  writer:
    (spec, { token }, restore, replaceReferences) =>
    (text) => {
      const file = basename(spec.path);
      refuseRivalEntries(text, spec, file);
      const values: Record<string, YamlScalar> = {
        npmAuthToken: token,
        npmAlwaysAuth: true,
        npmRegistryServer: spec.registryUrl,
        'scope npmRegistryServer': spec.registryUrl,
      };
      const settings = settingsOf(spec);
      for (const { path } of settings) {
        const current = text === null ? undefined : readYaml(text, path, file);
        if (current && !replaceReferences && /\$\{[^}]*\}/.test(valueText(current.value)))
          throw new ToolFileError(
            'tool-file-conflict',
            `${path.join('.')} (${placeText(current)}) takes its value from an environment variable; Artikey left it alone. Remove that line, or allow replacing it (--replace-references).`,
          );
      }
      if (restore !== null) {
        restore[REGISTRY_DEPTH] ??= String(
          existingDepth(text, ['npmRegistries', spec.registryKey], file),
        );
        if (spec.setRegistry && spec.scope !== null)
          restore[SCOPE_DEPTH] ??= String(existingDepth(text, ['npmScopes', spec.scope], file));
        if (text !== null)
          for (const { note, path, secret } of settings) {
            const current = readYaml(text, path, file);
            // A key with no value (`npmAuthToken:`, or `""`) holds no secret: it goes back as it was.
            if (current?.value === null || current?.value === '') restore[note] ??= current.raw;
            rememberPrevious(
              restore,
              note,
              current && { value: valueText(current.value), raw: current.raw },
              secret,
            );
          }
      }
      return editYaml(
        text,
        settings.map(({ note, path }) => ({ path, set: values[note]! })),
        file,
      );
    },
  remover: (record) => (text) => {
    const keepOf = (note: string): number => Number(record.restore[note] ?? '0') || 0;
    const edits = settingsOf(record).map(({ note, path }): YamlEdit => {
      const previous = record.restore[note];
      if (previous !== undefined) return { path, putBack: previous };
      const keep = path[0] === 'npmRegistries' ? keepOf(REGISTRY_DEPTH) : keepOf(SCOPE_DEPTH);
      return { path, remove: true, keep };
    });
    return editYaml(text, edits, basename(record.path));
  },
  ownsEntry: (spec, credential) =>
    credential.location === yarnRegistryLocation(spec.registryKey, 'npmAuthToken'),
  adopt: (credential, instance) => {
    const match = /^npmRegistries\[(".*")\]\.(npmAuthToken|npmAuthIdent)$/.exec(
      credential.location,
    );
    const key = match?.[1] === undefined ? undefined : (JSON.parse(match[1]) as string);
    if (!key || !match)
      return 'a top-level or per-scope credential applies to every registry of it; move it under npmRegistries["//host/path/"] first';
    const protocol = new URL(instance.platformUrl).protocol;
    const url = /^[a-z]+:/.test(key) ? key : `${protocol}${key}`;
    return {
      target: {
        kind: 'yarn',
        path: credential.file,
        registryUrl: url.endsWith('/') ? url : `${url}/`,
        registryKey: key,
        scope: null,
        setRegistry: false,
      },
      cleanup:
        match[2] === 'npmAuthIdent'
          ? { kind: 'yarn-ident', path: credential.file, registryKey: key }
          : null,
    };
  },
  cleanup: {
    kind: 'yarn-ident',
    secret: true,
    edit: (text, { path, registryKey }) =>
      editYaml(
        text,
        [{ path: ['npmRegistries', registryKey, 'npmAuthIdent'], remove: true, keep: 2 }],
        basename(path),
      ),
  },
};
