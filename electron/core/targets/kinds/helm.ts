import { basename } from 'node:path';
import { helmRepositoryLocation } from '../../scan/helm.js';
import { withoutCredentials } from '../../scan/classify.js';
import { helmRepositoriesFile } from '../../scan/locations.js';
import { rememberPrevious } from '../restore-notes.js';
import { BASIC_USER_UNSAFE } from '../safe-values.js';
import { ToolFileError } from '../tool-file.js';
import {
  editYaml,
  entryPlace,
  existingDepth,
  placeAt,
  placeText,
  readYaml,
  type YamlEdit,
  type YamlPath,
  type YamlScalar,
} from '../yaml-file.js';
import { invalidOption, type TargetKindDefinition } from './definition.js';
import { helmReadsPlain } from './helm-names.js';
import type { HelmSpec } from './helm-spec.js';

/**
 * Helm refuses a repository name holding `/` (`helm repo add`: it would read `<name>/<chart>`
 * wrongly); `\` too here, which would put the index cache Helm names after it in another folder
 * on Windows.
 */
const NAME_UNSAFE = /[/\\]/u;

/** The name a person asked for (`--name`), else the repository key, as JFrog's Set Me Up names it. */
function nameFor(asked: string | undefined, repo: string): string {
  const name = asked?.trim() || repo;
  const bad = [...name].find((char) => NAME_UNSAFE.test(char));
  if (bad !== undefined)
    throw invalidOption(
      `--name "${name}" is not a Helm repository name: Helm refuses '${bad}' in it (helm install <name>/<chart>); use letters, digits, '.', '_' or '-', such as ${repo}`,
    );
  return name;
}

/** The entry Helm reads as repository `name` (the first, as Helm's `repo.File.Get` takes it). */
const entryOf = (name: string): YamlPath => [
  'repositories',
  { key: 'name', is: name, reads: helmReadsPlain },
];

/**
 * What `helm repo add` writes beside the name, URL and credentials, with its defaults: an entry
 * Artikey adds reads the same to Helm as one Helm added.
 */
const HELM_DEFAULTS: [string, YamlScalar][] = [
  ['caFile', ''],
  ['certFile', ''],
  ['keyFile', ''],
  ['insecure_skip_tls_verify', false],
  ['pass_credentials_all', false],
];

/** The top of a file `helm repo add` creates (its zero `repo.File`). */
const HELM_HEADER: [string, YamlScalar][] = [
  ['apiVersion', ''],
  ['generated', '0001-01-01T00:00:00Z'],
];

/** The settings a first write replaces in an entry the person already had; noted under these names in `restore`. */
const KEPT = ['url', 'username', 'password'] as const;
/** How much of `repositories[name]` the file had before Artikey's first write (see `existingDepth`). */
const DEPTH = 'repositories depth';
/** Artikey wrote `apiVersion` and `generated` into an empty file; they go with the entry. */
const HEADER = 'header';

const sameUrl = (a: string, b: string): boolean => a.replace(/\/+$/, '') === b.replace(/\/+$/, '');

const valueText = (value: unknown): string =>
  typeof value === 'string' ? value : (JSON.stringify(value) ?? '');

/** A file with no YAML content at all (absent, empty, or only comments). */
function isBlank(text: string | null, file: string): boolean {
  const root = text === null ? undefined : readYaml(text, [], file);
  return root === undefined || root.value === null;
}

/** The header Artikey wrote goes once nothing else is left beside it, so the file is as empty as it was. */
function withoutLoneHeader(text: string, file: string): string {
  const root = readYaml(text, [], file)?.value;
  const keys = typeof root === 'object' && root !== null ? Object.keys(root) : [];
  if (keys.some((key) => !HELM_HEADER.some(([header]) => header === key))) return text;
  return editYaml(
    text,
    HELM_HEADER.map(([key]): YamlEdit => ({ path: [key], remove: true, keep: 0 })),
    file,
  );
}

/**
 * Another repository of the same name points elsewhere: Helm would read it under that name, so
 * writing over it would turn the person's `helm install <name>/…` to another server.
 */
function refuseOtherRepository(text: string, spec: HelmSpec, file: string): void {
  const url = readYaml(text, [...entryOf(spec.name), 'url'], file);
  if (url === undefined || sameUrl(valueText(url.value), spec.url)) return;
  const at = entryPlace(text, entryOf(spec.name), file)!;
  throw new ToolFileError(
    'tool-file-conflict',
    `${file} already has a Helm repository named "${spec.name}" (${placeText(at)}) for ${withoutCredentials(valueText(url.value))}; Artikey left the file untouched. Give Artikey's entry another name (--name), or remove that one (helm repo remove ${spec.name}), then try again.`,
  );
}

/**
 * A U+FEFF past the file's start (a leading byte-order mark Helm skips never reaches here). Helm
 * reads the file with go-yaml v2 (through sigs.k8s.io/yaml), whose byte-order-mark test looks at
 * the start of its read buffer instead of the character it is at: when a U+FEFF happens to open
 * the buffer, the reader skips the first character of a later line, and the file reads otherwise
 * or not at all ("did not find expected key"). Where the buffer starts moves with every byte
 * Artikey adds or takes out, so any edit could break a file Helm reads today.
 */
function refuseInnerMark(text: string | null, file: string): void {
  const at = text?.indexOf('\uFEFF') ?? -1;
  if (text === null || at < 0) return;
  readYaml(text, [], file); // A file that is no YAML at all is refused as that first.
  throw new ToolFileError(
    'tool-file-conflict',
    `${file} holds a zero-width no-break space (U+FEFF) at ${placeText(placeAt(text, at))}. Helm's YAML reader can take it for a byte-order mark and skip a character of a later line, so any change could make the file unreadable to Helm; Artikey left it untouched. Delete that invisible character, then try again.`,
  );
}

export const helm: TargetKindDefinition<HelmSpec> = {
  kind: 'helm',
  holdsToken: true,
  needsUsername: true,
  secretFormat: 'yaml',
  scanTool: 'helm',
  sameEntry: (a, b) => a.name === b.name,
  defaultPath: helmRepositoriesFile,
  // Artifactory "Helm Chart Repositories": helm repo add <name> <artifactory>/api/helm/<repo>.
  fromRequest: ({ options, artifactoryUrl, path, repo }) => {
    const key = repo('helm');
    return {
      kind: 'helm',
      path,
      name: nameFor(options.name, key),
      url: `${artifactoryUrl}api/helm/${key}`,
    };
  },
  describe: (spec) =>
    `helm: repository ${spec.name} (${spec.url}) in ${spec.path} (helm install ${spec.name}/<chart>)`,
  checkBelongs: (spec, instance) => instance.sameHost(spec.url),
  // The YAML editor quotes whatever needs it; only control characters are refused (for all).
  fields: (spec, { username, token }) => [
    basename(spec.path),
    [
      ['repository name', spec.name, NAME_UNSAFE],
      ['repository URL', spec.url],
      ['user name', username, BASIC_USER_UNSAFE],
      ['token', token],
    ],
  ],
  writer:
    (spec, { username, token }, restore) =>
    (text) => {
      const file = basename(spec.path);
      refuseInnerMark(text, file);
      const entry = entryOf(spec.name);
      // On a rewrite (restore null) the entry is Artikey's own: a new --repo may move it.
      if (restore !== null && text !== null) refuseOtherRepository(text, spec, file);
      const had = text !== null && readYaml(text, [...entry, 'name'], file) !== undefined;
      if (restore !== null) {
        restore[DEPTH] ??= String(existingDepth(text, entry, file));
        if (isBlank(text, file)) restore[HEADER] ??= 'written';
        if (text !== null && had)
          for (const key of KEPT) {
            const current = readYaml(text, [...entry, key], file);
            if (current === undefined) continue;
            const value = valueText(current.value);
            // Helm sends a password as written, `${VAR}` too: only an empty one (no secret) is
            // noted, so the entry reads to Helm as before; any other is never kept.
            if (key === 'password') {
              if (value === '') restore[key] ??= current.raw;
            } else rememberPrevious(restore, key, { value, raw: current.raw }, false);
          }
      }
      const edits: YamlEdit[] = [];
      if (isBlank(text, file))
        edits.push(...HELM_HEADER.map(([key, value]): YamlEdit => ({ path: [key], set: value })));
      edits.push(
        { path: [...entry, 'url'], set: spec.url },
        { path: [...entry, 'username'], set: username },
        { path: [...entry, 'password'], set: token },
      );
      if (!had)
        edits.push(
          ...HELM_DEFAULTS.map(([key, value]): YamlEdit => ({ path: [...entry, key], set: value })),
        );
      return editYaml(text, edits, file);
    },
  remover: (record) => (text) => {
    const file = basename(record.path);
    refuseInnerMark(text, file);
    const entry = entryOf(record.name);
    const depth = Number(record.restore[DEPTH] ?? '0') || 0;
    const edits: YamlEdit[] =
      depth >= entry.length
        ? KEPT.map((key): YamlEdit => {
            const previous = record.restore[key];
            return previous === undefined
              ? { path: [...entry, key], remove: true, keep: entry.length }
              : { path: [...entry, key], putBack: previous };
          })
        : [{ path: entry, remove: true, keep: depth }];
    const edited = editYaml(text, edits, file);
    return record.restore[HEADER] === undefined ? edited : withoutLoneHeader(edited, file);
  },
  ownsEntry: (spec, credential) => credential.location === helmRepositoryLocation(spec.name),
  adopt: (credential) => {
    const match = /^repositories\[name=(".*")\]\.password$/.exec(credential.location);
    const name = match?.[1] === undefined ? undefined : (JSON.parse(match[1]) as string);
    if (name === undefined) return 'not a Helm repository entry';
    if (NAME_UNSAFE.test(name)) return `"${name}" is no name Helm accepts; rename it first`;
    if (credential.url === null)
      return `repository ${name} names no URL; add "url: <artifactory>/api/helm/<repo>" first`;
    return {
      target: { kind: 'helm', path: credential.file, name, url: credential.url },
      cleanup: null,
    };
  },
};
