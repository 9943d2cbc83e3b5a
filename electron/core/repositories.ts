import type { TargetSpec } from './targets/target-record.js';
import type { Tool } from './targets/tool-request.js';

/**
 * Repository classes in the order people pick from: a virtual repository aggregates the others
 * (one URL for everything, what JFrog's own "Set Me Up" suggests first), a remote one proxies an
 * upstream, a local one holds what was deployed here; federated ones are local ones mirrored
 * between instances.
 */
export const REPOSITORY_CLASSES = ['virtual', 'remote', 'local', 'federated'] as const;
export type RepositoryClass = (typeof REPOSITORY_CLASSES)[number];

export interface Repository {
  key: string;
  rclass: RepositoryClass;
  description: string | null;
}

/**
 * What the server said about an instance's repositories of one package type. `cannot-list` is no
 * error: a person who may not list repositories (403) or whose server did not answer still types
 * the key; `reason` says why there is no list, and `note` adds that the key is taken unchecked.
 */
export type RepositoryListing =
  | { status: 'listed'; packageType: string; repositories: Repository[]; remembered: string | null }
  | { status: 'cannot-list'; packageType: string; reason: string; note: string; remembered: string | null };

/**
 * The package type (as the `packageType` filter spells it, REST "Get Repositories") of the
 * repositories a tool uses: npm's registry, pip's index and Maven's mirror are written into the
 * tool's file; Docker's and Gradle's entries hold only the instance's credentials, and the person
 * names the repository where the tool is used (see `repositoryUsage`). netrc names a host: null.
 */
export const REPOSITORY_PACKAGE_TYPE: Record<Tool, string | null> = {
  npm: 'npm',
  pip: 'pypi',
  maven: 'maven',
  docker: 'docker',
  gradle: 'gradle',
  netrc: null,
  podman: 'docker',
  pypirc: 'pypi',
  poetry: 'pypi',
  yarn: 'npm',
  cargo: 'cargo',
  helm: 'helm',
  go: 'go',
  bun: 'npm',
  uv: 'pypi',
  nuget: 'nuget',
  jfrog: null,
  conan: 'conan',
  terraform: 'terraform',
  sbt: 'sbt',
};

/**
 * Entries of a `GET /api/repositories` answer, in either shape a server sends: the list's
 * (`type: "VIRTUAL"`, `packageType: "Npm"`) or a configuration's (`rclass: "virtual"`,
 * `packageType: "npm"`), so compared without case. An entry of another package type (a server
 * that ignored the filter), of another class (distribution, release bundles) or without a usable
 * key is left out. The entry's `url` is not used: for a remote repository it is the upstream.
 */
export function readRepositories(entries: unknown[], packageType: string): Repository[] {
  const repositories: Repository[] = [];
  for (const entry of entries) {
    if (typeof entry !== 'object' || entry === null) continue;
    const fields = entry as Record<string, unknown>;
    const key = fields['key'];
    const rclass = String(fields['type'] ?? fields['rclass'] ?? '').toLowerCase();
    const type = fields['packageType'];
    if (typeof key !== 'string' || !REPOSITORY_KEY.test(key)) continue;
    if (!REPOSITORY_CLASSES.some((c) => c === rclass)) continue;
    if (typeof type === 'string' && type.toLowerCase() !== packageType.toLowerCase()) continue;
    repositories.push({ key, rclass: rclass as RepositoryClass, description: shownDescription(fields['description']) });
  }
  return sortRepositories(repositories);
}

/**
 * A description as people are shown it: the server's text goes to a terminal, where control
 * characters (escape sequences, carriage returns) could rewrite what is on screen, so each run of
 * them becomes one space; one line, cut at 100 characters.
 */
function shownDescription(value: unknown): string | null {
  if (typeof value !== 'string') return null;
  const text = value.replace(/[\u0000-\u001f\u007f-\u009f]+/g, ' ').replace(/\s+/g, ' ').trim();
  if (text === '') return null;
  return text.length > 100 ? `${text.slice(0, 99)}…` : text;
}

/** A repository key as Artifactory allows it, and as every tool file can hold it. */
export const REPOSITORY_KEY = /^[A-Za-z0-9][A-Za-z0-9._-]*$/;

/**
 * The repositories a tool can use, in the order to offer them: a tool that uploads (twine's
 * .pypirc, Poetry's publish repository) is offered local and federated repositories first, which take the upload themselves,
 * then virtual ones, which take it only through their default deployment repository; remote ones
 * never take one (Artifactory refuses a deploy to a cache), so they are left out. Every other
 * tool reads, and gets the list as `readRepositories` sorts it.
 */
export function repositoriesFor(tool: Tool, repositories: Repository[]): Repository[] {
  if (tool !== 'pypirc' && tool !== 'poetry') return repositories;
  const rank = (r: Repository): number => ['local', 'federated', 'virtual'].indexOf(r.rclass);
  return repositories
    .filter((r) => rank(r) >= 0)
    .sort((a, b) => rank(a) - rank(b) || a.key.localeCompare(b.key));
}

/** Virtual first, then remote, local and federated; by key within a class. */
export function sortRepositories(repositories: Repository[]): Repository[] {
  const rank = (r: Repository): number => REPOSITORY_CLASSES.indexOf(r.rclass);
  return [...repositories].sort((a, b) => rank(a) - rank(b) || a.key.localeCompare(b.key));
}

/**
 * Keys a person probably meant by `given`, best first: the same key in other case (repository keys
 * are case-sensitive in URLs, so it is a suggestion, not a match), keys it begins or that begin with
 * it, then keys a few typing slips away (edit distance up to a third of the length, at least 1).
 */
export function suggestRepositories(given: string, repositories: Repository[]): string[] {
  const wanted = given.trim().toLowerCase();
  if (wanted === '') return [];
  const scored: { key: string; score: number }[] = [];
  for (const { key } of repositories) {
    const lower = key.toLowerCase();
    if (key === given) continue;
    if (lower === wanted) scored.push({ key, score: 0 });
    else if (lower.startsWith(wanted) || wanted.startsWith(lower)) scored.push({ key, score: 1 + Math.abs(lower.length - wanted.length) / 100 });
    else {
      const distance = editDistance(lower, wanted);
      if (distance <= Math.max(1, Math.floor(wanted.length / 3))) scored.push({ key, score: 2 + distance });
    }
  }
  return scored.sort((a, b) => a.score - b.score || a.key.localeCompare(b.key)).slice(0, 3).map((s) => s.key);
}

/** Levenshtein distance: insertions, deletions and substitutions each count one. */
function editDistance(a: string, b: string): number {
  let previous = Array.from({ length: b.length + 1 }, (_, i) => i);
  for (let i = 1; i <= a.length; i++) {
    const current = [i];
    for (let j = 1; j <= b.length; j++) {
      const substitution = (previous[j - 1] ?? 0) + (a[i - 1] === b[j - 1] ? 0 : 1);
      current.push(Math.min((previous[j] ?? 0) + 1, (current[j - 1] ?? 0) + 1, substitution));
    }
    previous = current;
  }
  return previous[b.length] ?? 0;
}

/** The URL an entry writes into the tool's file (the one naming a repository), for people to check first. */
export function writtenUrl(spec: TargetSpec): string | null {
  switch (spec.kind) {
    case 'npm':
      return spec.registryUrl;
    case 'pip':
      return spec.indexUrl;
    case 'maven':
      return spec.mirror?.url ?? null;
    case 'pypirc':
      return spec.repositoryUrl;
    case 'yarn':
      return spec.registryUrl;
    case 'cargo':
      return spec.indexUrl;
    case 'helm':
      return spec.url;
    case 'go':
      return spec.proxyUrl;
    case 'bun':
      return spec.registryUrl;
    case 'uv':
    case 'nuget':
    case 'conan':
      return spec.url;
    default:
      return null;
  }
}

/**
 * How to use a repository whose key the tool's file does not hold: `line` names it the way the
 * tool is used, and `snippets` are the build files' text around it. Null where the file holds it
 * (npm, pip, Maven: `writtenUrl`).
 */
export interface RepositoryUsage {
  line: string;
  snippets: { file: string; text: string }[];
}

export function repositoryUsage(spec: TargetSpec, key: string): RepositoryUsage | null {
  switch (spec.kind) {
    case 'docker-helper':
    case 'docker-auths':
    case 'podman': {
      // "Docker Repository URL Formats": a host added for the repository's subdomain
      // (`<repo>.<host>`) names it by itself; otherwise the repository path method, the key after
      // the host. The credential entry covers the host, whichever repository the image names.
      const subdomain = spec.hosts.find((host) => host.startsWith(`${key.toLowerCase()}.`));
      const image = subdomain ?? `${spec.hosts[0] ?? ''}/${key}`;
      const client = spec.kind === 'podman' ? 'podman' : 'docker';
      return { line: `${client} pull ${image}/<image>:<tag>`, snippets: [] };
    }
    case 'gradle':
      return gradleUsage(spec.prefix, key);
    case 'terraform':
      return terraformUsage(spec.host, key);
    case 'sbt':
      return sbtUsage(spec.path, spec.contextUrl, key);
    default:
      return null;
  }
}

/**
 * Artifactory's "Set Me Up" for Gradle: gradle.properties holds `<prefix>_user`, `_password` and
 * `_contextUrl` (what Artikey writes), and the build script names the repository below the context
 * URL, reading the credentials from those properties. The Kotlin DSL reads them with `property()`.
 */
function gradleUsage(prefix: string, key: string): RepositoryUsage {
  const block = (url: string, user: string, password: string): string =>
    [
      'repositories {',
      '    maven {',
      `        ${url}`,
      '        credentials {',
      `            username = ${user}`,
      `            password = ${password}`,
      '        }',
      '    }',
      '}',
    ].join('\n');
  const line = `url "\${${prefix}_contextUrl}/${key}"`;
  return {
    line,
    snippets: [
      { file: 'build.gradle', text: block(line, `"\${${prefix}_user}"`, `"\${${prefix}_password}"`) },
      {
        file: 'build.gradle.kts',
        text: block(
          `url = uri("\${property("${prefix}_contextUrl")}/${key}")`,
          `property("${prefix}_user") as String`,
          `property("${prefix}_password") as String`,
        ),
      },
    ],
  };
}

/**
 * Artifactory's module source for Terraform and OpenTofu ("Terraform Registry: Connect your
 * Terraform/OpenTofu Client to Artifactory"): the host, then the repository joined to the
 * module's namespace with `__`, its name and its provider. The credentials block names only the
 * host, so every repository there is reached with the same token.
 */
function terraformUsage(host: string, key: string): RepositoryUsage {
  const line = `source = "${host}/${key}__<namespace>/<name>/<provider>"`;
  return {
    line,
    snippets: [
      { file: 'main.tf', text: ['module "<name>" {', `  ${line}`, '  version = "<version>"', '}'].join('\n') },
    ],
  };
}

/**
 * Artifactory's "Resolve sbt Artifacts": the build names the repository below the context URL
 * (`resolvers += "Artifactory" at "<platform>/artifactory/<repo>/"`), and reads the credentials
 * file Artikey writes (sbt's `Credentials(<file>)`), which the build must name too.
 */
function sbtUsage(path: string, contextUrl: string, key: string): RepositoryUsage {
  const line = `resolvers += "Artifactory" at "${contextUrl}/${key}/"`;
  const home = /[\\/]\.sbt[\\/]([^\\/]+)$/.exec(path);
  const file = home ? `Path.userHome / ".sbt" / "${home[1]}"` : `file(${JSON.stringify(path)})`;
  return { line, snippets: [{ file: 'build.sbt', text: `credentials += Credentials(${file})\n${line}` }] };
}
