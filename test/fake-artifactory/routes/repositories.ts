import type { Caller } from '../auth.js';
import type { FakeRepository, RepositoryClass } from '../directory.js';
import { artifactoryError, sendJson, type Exchange, type Router } from '../http.js';
import { optionalCaller } from './guards.js';

const CLASSES: readonly string[] = ['local', 'remote', 'virtual', 'federated', 'distribution'];

/**
 * `packageType` as the list spells it: the package type's display name ("Docker", "Maven",
 * "Generic", "NuGet", "YUM" in the REST page "Get Repositories" sample and in a SaaS instance's
 * answer quoted in public notes), while the configuration endpoint and the `packageType` filter use
 * the lower-case key ("docker", "npm", "pypi": REST "Repository Configuration JSON"). npm and PyPI's
 * display names below are our reading of that pattern, not a captured answer: the client compares
 * without case, so either spelling works.
 */
const DISPLAY_NAME: Record<FakeRepository['type'], string> = {
  docker: 'Docker',
  npm: 'Npm',
  maven: 'Maven',
  gradle: 'Gradle',
  pypi: 'Pypi',
  go: 'Go',
  cargo: 'Cargo',
  nuget: 'NuGet',
  helm: 'Helm',
  conan: 'Conan',
  generic: 'Generic',
  terraform: 'Terraform',
  sbt: 'SBT',
};

/**
 * Artifactory's repository listing (REST "Get Repositories", since 2.2.0; `packageType` since
 * 6.2.0): `GET /artifactory/api/repositories[?type=local|remote|virtual|federated|distribution]
 * [&packageType=<type>]`, "Requires a privileged user (can be anonymous)". Each entry is
 * `{key, type, description, url, packageType}` with `type` in capitals ("LOCAL"); `description` is
 * left out when the repository has none (a SaaS answer shows both an empty and a missing one, so
 * the client must take either). For a remote repository `url` is the upstream it proxies, not an
 * Artifactory URL, so clients build URLs from the key. The list holds only the repositories the
 * caller may read, so a user with no permissions gets `[]`.
 *
 * The other shape is one repository's configuration (REST "Repository Configuration",
 * `GET /api/repositories/{key}`): `rclass` in lower case instead of `type`, `packageType` as its
 * lower-case key; non-admins get a partial configuration, admins the whole (we serve the part every
 * caller gets).
 */
export function repositoryRoutes(router: Router): void {
  router.on('GET', /^\/artifactory\/api\/repositories$/, (ex) => {
    const caller = listingCaller(ex);
    if (caller === undefined) return;
    const rclass = ex.url.searchParams.get('type')?.toLowerCase() || null;
    const packageType = ex.url.searchParams.get('packageType')?.toLowerCase() || null;
    // What a real server answers to an unknown `type` is not documented: a guess.
    if (rclass !== null && !CLASSES.includes(rclass)) return artifactoryError(ex, 400, `Unsupported repository type: ${rclass}`);
    const listed = readable(ex, caller).filter((repo) => (rclass === null || repo.rclass === rclass) && (packageType === null || repo.type === packageType));
    sendJson(
      ex,
      200,
      listed.map((repo) => ({
        key: repo.key,
        ...(repo.description ? { description: repo.description } : {}),
        type: repo.rclass.toUpperCase(),
        url: urlOf(ex, repo),
        packageType: DISPLAY_NAME[repo.type],
      })),
    );
  });

  router.on('GET', /^\/artifactory\/api\/repositories\/([^/]+)$/, (ex) => {
    const caller = listingCaller(ex);
    if (caller === undefined) return;
    const repo = readable(ex, caller).find((r) => r.key === ex.params[0]);
    // Unreadable and absent look the same, as Artifactory hides what a caller may not see.
    if (!repo) return artifactoryError(ex, 400, `Repository ${ex.params[0] ?? ''} does not exist`);
    sendJson(ex, 200, { key: repo.key, rclass: repo.rclass, packageType: repo.type, description: repo.description, ...(repo.rclass === 'remote' ? { url: urlOf(ex, repo) } : {}) });
  });
}

/** The caller (null: anonymous, where the server allows it); undefined once refused. */
function listingCaller(ex: Exchange): Caller | null | undefined {
  const caller = optionalCaller(ex, 'artifactory');
  if (caller === undefined) return undefined;
  if (caller === null && !ex.state.config.anonymousAccess) {
    artifactoryError(ex, 401, 'Authentication is required');
    return undefined;
  }
  if (ex.state.config.repositoryListForbidden) {
    artifactoryError(ex, 403, 'Forbidden');
    return undefined;
  }
  return caller;
}

function readable(ex: Exchange, caller: Caller | null): FakeRepository[] {
  const { directory } = ex.state;
  // Anonymous callers see what anonymous may read: nothing in this directory.
  return [...directory.repositories.values()].filter((repo) => caller !== null && directory.allows(caller.user, caller.scope, repo.key, 'read'));
}

const UPSTREAM: Partial<Record<FakeRepository['type'], string>> = {
  docker: 'https://registry-1.docker.io/',
  npm: 'https://registry.npmjs.org',
  maven: 'https://repo1.maven.org/maven2/',
  gradle: 'https://repo1.maven.org/maven2/',
  pypi: 'https://files.pythonhosted.org',
  go: 'https://proxy.golang.org',
  nuget: 'https://www.nuget.org/',
};

function urlOf(ex: Exchange, repo: { key: string; rclass: RepositoryClass; type: FakeRepository['type'] }): string {
  return repo.rclass === 'remote' ? (UPSTREAM[repo.type] ?? 'https://example.invalid/') : `${ex.state.baseUrl()}/artifactory/${repo.key}`;
}
