/**
 * The one IPC contract: every method's name, argument schemas and result type, and every event.
 * Main serves it, the preload exposes it, the renderer's `window.artikey` type is derived from
 * it, and tests bind it to other transports. Nothing here knows about Electron.
 */
import {
  array,
  boolean,
  integer,
  literal,
  nullable,
  object,
  oneOf,
  SchemaError,
  optional,
  string,
  type Infer,
  type Schema,
} from './schema.js';
import type {
  ActivityEntry,
  AppInfo,
  BackupEntry,
  BrowserLoginPrompt,
  CliToolsStatus,
  ConfigureResult,
  CopiedToken,
  InstanceChange,
  InstanceDetails,
  InstanceSummary,
  LoginAdvice,
  LoginResult,
  LogoutResult,
  MigrationResult,
  Navigation,
  NoticeSummary,
  RepositoryChoice,
  RevealedToken,
  ScanResult,
  ServerToken,
  SettingsView,
  SetupPlanView,
  SetupProposal,
  SetupResult,
  ToolKind,
  ToolPreview,
  UnconfigureResult,
} from './types.js';

export type * from './types.js';

/** What every call resolves to: Electron keeps an Error's message but drops its code. */
export type Result<T> = { ok: true; value: T } | { ok: false; code: string; message: string };

/** A result type, carried only in the type system. */
declare const resultType: unique symbol;
interface Returns<T> {
  readonly [resultType]?: T;
}
const returns = <T>(): Returns<T> => ({});

interface MethodSpec<A extends readonly Schema<unknown>[], R> {
  args: A;
  result: Returns<R>;
}
const method = <const A extends readonly Schema<unknown>[], R>(
  args: A,
  result: Returns<R>,
): MethodSpec<A, R> => ({ args, result });

const MINUTE = 60;
const DAY = 86_400;

const instanceId = string({ min: 1, max: 200 });
const url = string({ min: 1, max: 2048 });
const lifetimeSeconds = optional(integer(5 * MINUTE, 365 * DAY));
const loginCommon = {
  url,
  name: optional(string({ min: 1, max: 100 })),
  lifetimeSeconds,
  /** The person confirmed replacing the instance's user with the one logging in (error `user-mismatch` otherwise). */
  replaceUser: optional(boolean),
};
const secret = string({ min: 1, max: 16_384 });
const username = string({ min: 1, max: 256 });

export const TOOL_NAMES = [
  'docker',
  'npm',
  'maven',
  'pip',
  'netrc',
  'gradle',
  'pypirc',
  'poetry',
  'podman',
  'yarn',
  'cargo',
  'helm',
  'go',
  'bun',
  'uv',
  'nuget',
  'jfrog',
  'conan',
  'terraform',
  'sbt',
] as const;
/**
 * The tools that use a repository: npm's registry, pip's index and Maven's mirror are written into
 * their file; Docker's image and Gradle's build script name it where the tool is used.
 */
export const REPOSITORY_TOOLS = [
  'npm',
  'maven',
  'pip',
  'docker',
  'gradle',
  'pypirc',
  'poetry',
  'podman',
  'yarn',
  'cargo',
  'helm',
  'go',
  'bun',
  'uv',
  'nuget',
  'conan',
  'terraform',
  'sbt',
] as const;
const TOOL_KINDS = [
  'docker-helper',
  'docker-auths',
  'npm',
  'maven',
  'pip',
  'netrc',
  'gradle',
  'podman',
  'pypirc',
  'poetry-auth',
  'poetry-repository',
  'yarn',
  'cargo',
  'cargo-registry',
  'helm',
  'go',
  'bun',
  'uv',
  'nuget',
  'jfrog-cli',
  'conan',
  'conan-remote',
  'terraform',
  'sbt',
] as const satisfies readonly ToolKind[];
const short = optional(string({ min: 1, max: 200 }));
const path = optional(string({ min: 1, max: 4096 }));

/**
 * A tool goes to its default file only: the page never names a path main would write (the CLI's
 * --file is the person at the terminal; a window that ever needs one asks through a native dialog).
 */
const toolOptions = object({
  tool: oneOf(TOOL_NAMES),
  repo: short,
  hosts: optional(array(string({ min: 1, max: 255 }), 20)),
  auths: optional(boolean),
  scope: short,
  setRegistry: optional(boolean),
  serverId: short,
  mirror: short,
  prefix: short,
  section: short,
  registryName: short,
  name: short,
  noSumDb: short,
  goPrivate: short,
  sourceName: short,
  protocol: optional(oneOf(['v3', 'v2'] as const)),
  makeDefault: optional(boolean),
  remoteName: short,
  replaceReferences: optional(boolean),
});

/** A tool to set up with the repository chosen for it (as for tools.configure, default files only). */
const setupChoice = object({
  tool: oneOf(TOOL_NAMES),
  repo: short,
  mirror: short,
});

export const METHODS = {
  'app.info': method([], returns<AppInfo>()),

  'instances.list': method([], returns<InstanceSummary[]>()),
  /** Asks the server about the token (revocation, clock); slower than `list`. */
  'instances.inspect': method([instanceId], returns<InstanceDetails>()),
  'instances.refresh': method([instanceId], returns<InstanceSummary>()),
  'instances.rename': method(
    [instanceId, string({ min: 1, max: 100 })],
    returns<InstanceSummary>(),
  ),
  /**
   * Revokes the token where possible, removes it from every tool file and forgets the instance.
   * A server that cannot revoke fails it with `token-not-revoked` and nothing changed, unless the
   * person chose `keepServerToken` (log out on this machine only; the token lives to its expiry).
   */
  'instances.logout': method(
    [instanceId, optional(object({ keepServerToken: optional(boolean) }))],
    returns<LogoutResult>(),
  ),
  /** Opens the instance's web UI in the system browser. */
  'instances.openInBrowser': method([instanceId], returns<null>()),
  /** The user's tokens the server lists (the current one marked). */
  'instances.tokens': method([instanceId], returns<ServerToken[]>()),
  /** Revokes one of the user's tokens on the server; the current one by default. */
  'instances.revokeToken': method(
    [instanceId, object({ tokenId: optional(string({ min: 1, max: 200 })) })],
    returns<{ revoked: boolean; tokenId: string }>(),
  ),
  /**
   * Proposes a proxy for this instance (null clears it) or clears its CA bundle; main asks the
   * person to confirm, naming the host (a no fails with `declined`). The page never names a CA file.
   */
  'instances.setConnection': method(
    [
      instanceId,
      object({
        proxy: optional(nullable(string({ min: 1, max: 2048 }))),
        clearCaFile: optional(literal(true)),
      }),
    ],
    returns<InstanceDetails>(),
  ),
  /** Main opens a file picker for a CA bundle, then asks the person to trust it for this host. */
  'instances.pickCaFile': method([instanceId], returns<InstanceDetails>()),

  /** Which way in to offer first for this address (the browser, where a password was refused before). */
  'login.advice': method([url], returns<LoginAdvice>()),
  'login.password': method(
    [object({ ...loginCommon, username, password: secret })],
    returns<LoginResult>(),
  ),
  'login.token': method(
    [object({ ...loginCommon, token: secret, username: optional(username) })],
    returns<LoginResult>(),
  ),
  /** Trades an API key for a refreshable token; optionally revokes the key afterwards. */
  'login.apiKey': method(
    [
      object({
        ...loginCommon,
        apiKey: secret,
        username: optional(username),
        revokeApiKey: optional(boolean),
      }),
    ],
    returns<LoginResult>(),
  ),
  /** Opens the login page in the system browser; `login.prompt` carries the code to compare. */
  'login.browser': method([object(loginCommon)], returns<LoginResult>()),
  'login.cancel': method([], returns<{ cancelled: boolean }>()),

  'tools.configure': method([instanceId, toolOptions], returns<ConfigureResult>()),
  /** What `tools.configure` with the same options would change, line by line; writes nothing. */
  'tools.preview': method([instanceId, toolOptions], returns<ToolPreview>()),
  'tools.unconfigure': method(
    [instanceId, object({ kind: optional(oneOf(TOOL_KINDS)), path })],
    returns<UnconfigureResult>(),
  ),
  /**
   * The instance's repositories the tool's entry can name, from its server, with the one chosen
   * last (remembered by `tools.configure`); free text with a note where the server refuses the list.
   */
  'tools.repositories': method([instanceId, oneOf(REPOSITORY_TOOLS)], returns<RepositoryChoice>()),
  /** "Set up my tools": each tool installed (its program on PATH)? configured? holding plain-text credentials? */
  'tools.detect': method([instanceId], returns<SetupProposal>()),
  /** Every file's preview for setting up the chosen tools at once; writes nothing. */
  'tools.prepareSetup': method(
    [instanceId, object({ choices: array(setupChoice, TOOL_NAMES.length) })],
    returns<SetupPlanView>(),
  ),
  /** Writes a prepared plan: every tool's entry, or none (the failure names the file; nothing changed). */
  'tools.applySetup': method(
    [object({ planId: string({ min: 1, max: 100 }) })],
    returns<SetupResult>(),
  ),
  /** One click: Docker asks Artikey's credential helper for this instance's registry. */
  'tools.dockerLogin': method([instanceId], returns<ConfigureResult>()),

  /** Finds plain-text Artifactory credentials in the usual files; `check` asks each server. */
  'credentials.scan': method([object({ check: boolean })], returns<ScanResult>()),
  /** Replaces an instance's plain-text credentials with managed entries (`apply: false` plans). */
  /**
   * Logs in to a server the scan found credentials of but Artikey is not logged in to: with the
   * API key found, or through the browser (`login.prompt`) when the server refuses the key.
   */
  'credentials.loginToMigrate': method(
    [object(loginCommon)],
    returns<LoginResult & { via: 'api-key' | 'browser' }>(),
  ),
  'credentials.migrate': method(
    [instanceId, object({ apply: boolean })],
    returns<MigrationResult>(),
  ),

  /** The backups Artikey made of tool files and what each holds; `check` asks each server. */
  'backups.list': method([object({ check: boolean })], returns<BackupEntry[]>()),
  /** Deletes one backup `backups.list` lists, once the person confirmed in main's dialog. */
  'backups.delete': method(
    [object({ path: string({ min: 1, max: 4096 }) })],
    returns<{ deleted: string }>(),
  ),

  'notices.list': method([], returns<NoticeSummary[]>()),

  /** Recent logins, refreshes, failures and notices, newest first; never a secret. */
  'activity.list': method(
    [object({ limit: optional(integer(1, 1000)) })],
    returns<ActivityEntry[]>(),
  ),

  /** Main writes the token to the clipboard itself and clears it after a while. */
  'token.copy': method([instanceId], returns<CopiedToken>()),
  /** The token, once, after main asked the person (a native dialog naming the host). */
  'token.reveal': method([instanceId], returns<RevealedToken>()),

  'settings.get': method([], returns<SettingsView>()),
  'settings.update': method(
    [
      object({
        defaultTokenLifetimeSeconds: lifetimeSeconds,
        /** May be as long as the lifetime or longer: a token is then replaced only before it expires. */
        rotationIntervalSeconds: optional(integer(5 * MINUTE, 365 * DAY)),
        expiringThresholdSeconds: optional(integer(MINUTE, 90 * DAY)),
        warnBeforeSeconds: optional(array(integer(MINUTE, 90 * DAY), 6)),
        launchAtLogin: optional(boolean),
        /** Turning it on is confirmed by the person in main's dialog. */
        deleteDeadBackups: optional(boolean),
      }),
    ],
    returns<SettingsView>(),
  ),

  'cliTools.status': method([], returns<CliToolsStatus>()),
  'cliTools.install': method([], returns<CliToolsStatus>()),
} as const;

/** Main → page, fire and forget. */
export interface Events {
  'instances.changed': InstanceChange;
  'login.prompt': BrowserLoginPrompt;
  navigate: Navigation;
}
export const EVENT_NAMES = [
  'instances.changed',
  'login.prompt',
  'navigate',
] as const satisfies readonly (keyof Events)[];

type Specs = typeof METHODS;
type RequiredArgs<A> = { -readonly [I in keyof A]: Infer<A[I]> };
/** A trailing `optional()` argument may be left out, as in `logout(id)`. */
type ArgsOf<A> = A extends readonly [...infer Init, infer Last extends { readonly optional: true }]
  ? [...ArgsOf<Init>, Infer<Last>?]
  : RequiredArgs<A>;
type ResultOf<R> = R extends Returns<infer T> ? T : never;

/** Every method, named `<area>.<verb>`: the arguments it takes and the value it resolves to. */
export type Methods = {
  [N in keyof Specs]: { args: ArgsOf<Specs[N]['args']>; result: ResultOf<Specs[N]['result']> };
};
export type MethodName = keyof Methods;
export type EventName = keyof Events;

export const METHOD_NAMES = Object.keys(METHODS) as MethodName[];

/** Every channel is namespaced, so nothing else on the bus can be mistaken for ours. */
export const channel = <N extends MethodName>(name: N): `artikey:${N}` => `artikey:${name}`;
export const eventChannel = <E extends EventName>(name: E): `artikey:event:${E}` =>
  `artikey:event:${name}`;

export const isMethodName = (name: string): name is MethodName => Object.hasOwn(METHODS, name);

/** Parses the arguments a page sent; a wrong count or shape throws a SchemaError. */
export function parseArgs<N extends MethodName>(name: N, args: unknown[]): Methods[N]['args'] {
  const schemas: readonly Schema<unknown>[] = METHODS[name].args;
  if (args.length > schemas.length)
    throw new SchemaError(`${name} takes ${schemas.length} argument(s).`);
  return schemas.map((schema, index) =>
    schema.parse(args[index], `${name} argument ${index + 1}`),
  ) as Methods[N]['args'];
}

type Area<N extends MethodName> = N extends `${infer A}.${string}` ? A : never;

/** `window.artikey` as the page sees it: `'instances.list'` becomes `artikey.instances.list()`. */
export type ArtikeyBridge = {
  [A in Area<MethodName>]: {
    [N in MethodName as N extends `${A}.${infer Verb}` ? Verb : never]: (
      ...args: Methods[N]['args']
    ) => Promise<Result<Methods[N]['result']>>;
  };
} & {
  /** Listens to one event; returns the function that stops listening. */
  on<E extends EventName>(event: E, listener: (payload: Events[E]) => void): () => void;
};

/**
 * Builds the bridge over any transport: the preload passes ipcRenderer, a test passes the real
 * handlers. Only the named methods exist on it, so the page can call nothing else.
 */
export function createBridge(transport: {
  invoke(channel: string, args: unknown[]): Promise<unknown>;
  subscribe(channel: string, listener: (payload: unknown) => void): () => void;
}): ArtikeyBridge {
  const areas: Record<string, Record<string, unknown>> = {};
  for (const name of METHOD_NAMES) {
    const [area, verb] = name.split('.') as [string, string];
    (areas[area] ??= {})[verb] = (...args: unknown[]) => transport.invoke(channel(name), args);
  }
  const on = (event: EventName, listener: (payload: unknown) => void): (() => void) => {
    if (!EVENT_NAMES.includes(event)) throw new Error(`No event named ${String(event)}.`);
    return transport.subscribe(eventChannel(event), listener);
  };
  return { ...areas, on } as unknown as ArtikeyBridge;
}
