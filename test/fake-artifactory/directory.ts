/** Users, groups, repositories and permissions of the fake platform. */
export interface FakeUser {
  name: string;
  password: string;
  admin: boolean;
  groups: string[];
  email: string;
  disabled: boolean;
  apiKey?: string;
  /**
   * Where the user's password is checked: `internal` (the platform's own, the default) or an
   * external directory. External users may still log in with Basic where Artifactory accepts it;
   * they may not trade it for a token (see routes/access-tokens.ts `basicRefusal`).
   */
  realm?: 'internal' | 'ldap' | 'saml';
  /** Multi-factor authentication is enforced for this user: Basic never creates a token for them. */
  mfa?: boolean;
}

export type RepositoryType =
  | 'docker'
  | 'npm'
  | 'maven'
  | 'gradle'
  | 'pypi'
  | 'go'
  | 'cargo'
  | 'nuget'
  | 'helm'
  | 'conan'
  | 'generic'
  | 'terraform'
  | 'sbt';

/** Artifactory's repository classes (REST "Get Repositories": `type=local|remote|virtual|federated`). */
export type RepositoryClass = 'local' | 'remote' | 'virtual' | 'federated';

export interface FakeRepository {
  key: string;
  /** The package type (`packageType`). */
  type: RepositoryType;
  rclass: RepositoryClass;
  description: string;
}

export type Action = 'read' | 'write' | 'delete' | 'annotate' | 'manage';

export interface PermissionTarget {
  name: string;
  /** Repository keys, or `*` for every repository. */
  repositories: string[] | '*';
  users: string[];
  groups: string[];
  actions: Action[];
}

export const DEMO_USER = { name: 'alice', password: 'alice-demo-password' } as const;
export const ADMIN_USER = { name: 'admin', password: 'admin-demo-password' } as const;

/**
 * The user behind a token minted for a name the platform does not know ("a transient user is
 * created", REST "Create Token (Deprecated)" on `username`): no password, no admin rights, the
 * groups its scope names.
 */
export function transientUser(name: string, scope: string): FakeUser {
  const groups = /(?:^|\s)(?:applied-permissions\/groups|member-of-groups):(\S+)/.exec(scope)?.[1];
  return { name, password: '', admin: false, groups: groups ? groups.split(',').filter((g) => g !== '*') : [], email: '', disabled: false };
}

export class Directory {
  readonly users = new Map<string, FakeUser>();
  readonly repositories = new Map<string, FakeRepository>();
  readonly permissions: PermissionTarget[] = [];

  constructor() {
    this.addUser({ name: ADMIN_USER.name, password: ADMIN_USER.password, admin: true });
    this.addUser({ name: DEMO_USER.name, password: DEMO_USER.password, groups: ['readers', 'developers'] });
    this.addUser({ name: 'bob', password: 'bob-demo-password', groups: ['readers'] });
    // What a JFrog Platform set up by its onboarding wizard shows: a local, a remote and a virtual
    // repository per package type, named `<type>-local` / `<type>-remote` / `<type>-virtual`
    // (`libs-release` is Artifactory's own default Maven virtual). The demo's images and packages
    // are served from each repository of their type. Gradle has its own package type (REST
    // "Repository Configuration JSON": `"packageType": "gradle"`), whose repositories the wizard
    // names alike and which serve Maven's layout, so the demo's POM is fetched from them too.
    for (const [key, type, rclass, description] of [
      ['docker-local', 'docker', 'local', 'Docker images built here'],
      ['docker-remote', 'docker', 'remote', 'Proxy of Docker Hub'],
      ['docker-virtual', 'docker', 'virtual', 'docker-local and docker-remote'],
      ['npm-local', 'npm', 'local', 'npm packages published here'],
      ['npm-remote', 'npm', 'remote', 'Proxy of registry.npmjs.org'],
      ['npm-virtual', 'npm', 'virtual', 'npm-local and npm-remote'],
      ['libs-release-local', 'maven', 'local', 'Maven releases deployed here'],
      ['maven-remote', 'maven', 'remote', 'Proxy of Maven Central'],
      ['libs-release', 'maven', 'virtual', 'libs-release-local and maven-remote'],
      ['gradle-local', 'gradle', 'local', 'Gradle builds published here'],
      ['gradle-remote', 'gradle', 'remote', 'Proxy of Maven Central for Gradle'],
      ['gradle-virtual', 'gradle', 'virtual', 'gradle-local and gradle-remote'],
      ['pypi-local', 'pypi', 'local', ''],
      ['pypi-remote', 'pypi', 'remote', 'Proxy of pypi.org'],
      ['pypi-virtual', 'pypi', 'virtual', 'pypi-local and pypi-remote'],
      ['go-remote', 'go', 'remote', 'Proxy of proxy.golang.org'],
      ['go-virtual', 'go', 'virtual', 'go-remote'],
      ['cargo-local', 'cargo', 'local', 'Crates published here'],
      ['nuget-remote', 'nuget', 'remote', 'Proxy of nuget.org'],
      ['nuget-virtual', 'nuget', 'virtual', 'nuget-remote'],
      ['helm-local', 'helm', 'local', 'Charts published here'],
      ['helm-virtual', 'helm', 'virtual', 'helm-local'],
      ['conan-local', 'conan', 'local', ''],
      ['generic-local', 'generic', 'local', ''],
      ['terraform-local', 'terraform', 'local', 'Modules published here'],
      ['terraform-virtual', 'terraform', 'virtual', 'terraform-local'],
      ['sbt-remote', 'sbt', 'remote', 'Proxy of Maven Central for sbt'],
      ['sbt-virtual', 'sbt', 'virtual', 'sbt-remote'],
    ] as const) {
      this.repositories.set(key, { key, type, rclass, description });
    }
    this.permissions.push({ name: 'readers', repositories: '*', users: [], groups: ['readers'], actions: ['read'] });
    this.permissions.push({
      name: 'developers',
      repositories: '*',
      users: [],
      groups: ['developers'],
      actions: ['read', 'write', 'annotate'],
    });
  }

  addUser(user: Partial<FakeUser> & { name: string; password: string }): FakeUser {
    const full: FakeUser = {
      admin: false,
      groups: [],
      email: `${user.name}@example.invalid`,
      disabled: false,
      ...user,
    };
    this.users.set(full.name, full);
    return full;
  }

  user(name: string): FakeUser | undefined {
    return this.users.get(name);
  }

  userByApiKey(key: string): FakeUser | undefined {
    for (const user of this.users.values()) if (user.apiKey === key) return user;
    return undefined;
  }

  repository(key: string): FakeRepository | undefined {
    return this.repositories.get(key);
  }

  /**
   * Whether a caller holding `scope` as `user` may do `action` in `repository`. Scopes follow the
   * Access vocabulary: applied-permissions/user|admin|groups:a,b (REST "Create Token"; jfrog-cli-core
   * `general/token/accesstokencreate.go`), artifact:<repo>[/<path>]:<actions> (7.38+, as
   * terraform-provider-artifactory's scoped-token resource validates it), and the legacy
   * member-of-groups / api:* of the deprecated token API.
   */
  allows(user: FakeUser, scope: string, repository: string, action: Action): boolean {
    const scopes = scope.split(/\s+/).filter(Boolean);
    return scopes.some((entry) => this.#scopeAllows(user, entry, repository, action));
  }

  #scopeAllows(user: FakeUser, scope: string, repository: string, action: Action): boolean {
    if (scope === 'applied-permissions/admin') return user.admin;
    if (scope === 'applied-permissions/user' || scope === 'api:*') {
      return user.admin || this.#permitted({ users: [user.name], groups: user.groups }, repository, action);
    }
    const groups = /^(?:applied-permissions\/groups|member-of-groups):(.+)$/.exec(scope);
    if (groups?.[1]) {
      const requested = groups[1].split(',').map((g) => g.trim());
      const held = requested.includes('*') ? user.groups : requested.filter((g) => user.groups.includes(g));
      return this.#permitted({ users: [], groups: held }, repository, action);
    }
    const artifact = /^artifact:([^/:]+)(?:\/[^:]*)?:([rwdam*]+)$/.exec(scope);
    if (artifact?.[1] && artifact[2]) {
      const letter = { read: 'r', write: 'w', delete: 'd', annotate: 'a', manage: 'm' }[action];
      const repoMatches = artifact[1] === '*' || artifact[1] === repository;
      const actionMatches = artifact[2].includes('*') || artifact[2].includes(letter);
      return repoMatches && actionMatches && (user.admin || this.#permitted({ users: [user.name], groups: user.groups }, repository, action));
    }
    return false;
  }

  #permitted(who: { users: string[]; groups: string[] }, repository: string, action: Action): boolean {
    return this.permissions.some(
      (target) =>
        (target.repositories === '*' || target.repositories.includes(repository)) &&
        target.actions.includes(action) &&
        (target.users.some((u) => who.users.includes(u)) || target.groups.some((g) => who.groups.includes(g))),
    );
  }

  /**
   * Whether `user` may ask for a token with `scope`: non-admins only their own permissions (REST
   * "Create Token": a non-admin may create tokens for themselves, with their own groups); which
   * system scopes a non-admin may request is not documented, so all are refused (a guess).
   */
  mayRequestScope(user: FakeUser, scope: string): boolean {
    if (user.admin) return true;
    return scope.split(/\s+/).filter(Boolean).every((entry) => {
      if (entry === 'applied-permissions/user') return true;
      if (entry === 'applied-permissions/admin') return false;
      const groups = /^applied-permissions\/groups:(.+)$/.exec(entry);
      if (groups?.[1]) return groups[1].split(',').every((g) => user.groups.includes(g.trim()));
      if (/^artifact:[^:]+:[rwdam*]+$/.test(entry)) return true;
      if (/^system:/.test(entry)) return false;
      return false;
    });
  }
}
