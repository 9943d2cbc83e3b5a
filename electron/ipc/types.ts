/**
 * What crosses IPC, declared here rather than imported from the core: the page may import only
 * this folder, and main builds each value field by field (see electron/main/views.ts), so a
 * field added to the core does not reach the page unless someone decides it should. None of
 * these carries a secret; `RevealedToken` is the one deliberate exception.
 */
export type TokenStatus =
  'active' | 'expiring' | 'expired' | 'revoked' | 'not-revocable' | 'refresh-failing' | 'unknown';

export type LoginMethod = 'browser' | 'password' | 'access-token' | 'reference-token' | 'api-key';

export type ToolKind =
  | 'docker-helper'
  | 'docker-auths'
  | 'npm'
  | 'maven'
  | 'pip'
  | 'netrc'
  | 'gradle'
  | 'pypirc'
  | 'poetry-auth'
  | 'poetry-repository'
  | 'podman'
  | 'yarn'
  | 'cargo'
  | 'cargo-registry'
  | 'helm'
  | 'go'
  | 'bun'
  | 'uv'
  | 'nuget'
  | 'jfrog-cli'
  | 'conan'
  | 'conan-remote'
  | 'terraform'
  | 'sbt';

export interface AppInfo {
  name: string;
  version: string;
  platform: string;
  packaged: boolean;
  /** Where secrets live, for people: "GNOME Keyring (Secret Service)", "macOS Keychain". */
  keychain: string;
}

export interface TokenSummary {
  kind: 'access-token' | 'reference-token';
  tokenId: string | null;
  subject: string | null;
  scopes: string[];
  audience: string[];
  issuer: string | null;
  /** Seconds since the epoch. */
  issuedAt: number | null;
  /** Seconds since the epoch; null = never expires. */
  expiresAt: number | null;
  refreshable: boolean;
  revocable: boolean | null;
  signature: 'verified' | 'invalid' | 'not-checked';
}

export interface Problem {
  code: string;
  message: string;
  /** Seconds since the epoch. */
  at: number;
}

/** A tool file holding (or pointing Docker at) an instance's credentials. */
export interface ToolEntry {
  kind: ToolKind;
  path: string;
  /** One line for people: "npm: https://…/api/npm/npm-virtual/ in ~/.npmrc". */
  description: string;
  /** The file holds a copy of the token (rewritten on every refresh); false for Docker's helper. */
  holdsToken: boolean;
  writtenAt: number | null;
  error: Problem | null;
}

export interface InstanceSummary {
  id: string;
  name: string;
  platformUrl: string;
  username: string | null;
  loginMethod: LoginMethod;
  status: TokenStatus;
  token: TokenSummary;
  /** Seconds until expiry; negative once expired; null when it never expires. */
  expiresInSeconds: number | null;
  revocation: {
    status: 'active' | 'revoked' | 'not-persisted' | 'unknown';
    checkedAt: number | null;
  };
  refreshError: Problem | null;
  tokenLifetimeSeconds: number;
  tools: ToolEntry[];
  clockOffsetSeconds: number;
  /** Set when the instance is plain http:// on another machine: its tokens cross the network in clear. */
  plainHttpWarning: string | null;
  /** Set when the server does not give the token lifetime asked (capped it, or ignored it on refresh). */
  lifetimeNote: string | null;
  /** When the app will refresh the token next (seconds since the epoch), if it will. */
  nextRefreshAt: number | null;
  /** A logout stopped part-way: the instance stays listed until logging out again finishes it. */
  logoutIncomplete: boolean;
}

export interface InstanceDetails extends InstanceSummary {
  serverVersion: string | null;
  clockSkewSeconds: number | null;
  connection: ConnectionView;
  /** Why the server could not be asked, fit to show: "connection refused to 127.0.0.1:8081". */
  unreachable: string | null;
}

export interface LoginResult {
  instance: InstanceSummary;
  /** Things to know, such as an API key that should now be revoked. */
  notes: string[];
}

/**
 * Which way in to offer first for an address. A server that refused to trade a password for a
 * token before (error `basic-token-creation-disabled`) is offered the browser login first.
 */
export interface LoginAdvice {
  preferBrowser: boolean;
  /** Why, fit to show: "acme.jfrog.io does not let tools trade a password for a token". */
  reason: string | null;
}

export interface ToolFailure {
  tool: ToolEntry;
  code: string;
  message: string;
}

export interface LogoutResult {
  revoked: boolean;
  toolsRemoved: ToolEntry[];
  toolsFailed: ToolFailure[];
  /** Every step done; otherwise the instance stays listed and logging out again completes it. */
  complete: boolean;
  /** The report, one sentence per step done, then one per step that still needs doing. */
  done: string[];
  problems: string[];
}

export interface ConfigureResult {
  tool: ToolEntry;
  /** False when the file already said exactly this. */
  changed: boolean;
}

export interface UnconfigureResult {
  removed: ToolEntry[];
  failed: ToolFailure[];
}

export type CredentialKind =
  | 'api-key'
  | 'reference-token'
  | 'access-token'
  | 'refresh-token'
  | 'password'
  | 'env-reference'
  | 'encrypted';

/** A plain-text credential found in a tool's file; the secret itself never leaves main. */
export interface FoundCredential {
  tool: 'docker' | 'npm' | 'maven' | 'pip' | 'netrc' | 'gradle' | 'jfrog-cli' | 'podman' | 'pypirc' | 'poetry' | 'yarn' | 'cargo' | 'helm' | 'go' | 'bun' | 'uv' | 'nuget' | 'conan' | 'terraform' | 'sbt';
  file: string;
  location: string;
  line: number | null;
  url: string | null;
  host: string | null;
  username: string | null;
  kind: CredentialKind;
  expiresAt: number | null;
  /** First 12 hex characters of the secret's SHA-256: tells entries apart, reveals nothing. */
  fingerprint: string;
  instanceId: string | null;
  /** An entry Artikey wrote (`configure`) holding the instance's current token: kept fresh by Artikey. */
  managed: boolean;
  /** An entry Artikey wrote, holding another token than the instance's current one. */
  stale: boolean;
  /** Whether the server still accepts it; null when not checked. */
  works: 'yes' | 'no' | 'unknown' | null;
}

export interface ScanResult {
  found: FoundCredential[];
  problems: { file: string; code: string; message: string }[];
  searched: string[];
}

export type MigrationStep =
  | { action: 'replace'; credential: FoundCredential; tool: string; description: string }
  | { action: 'skip'; credential: FoundCredential; reason: string };

export interface MigrationResult {
  steps: MigrationStep[];
  applied: MigrationStep[];
  failed: { step: MigrationStep; code: string; message: string }[];
  /** Each file the migration changed, saved as it was before in a fresh backup. */
  backups: { file: string; backup: string }[];
}

/** A credential in a backup, never with its secret, and whether it is still live. */
export type BackupCredential = Omit<FoundCredential, 'managed' | 'stale' | 'works'> & {
  live: 'live' | 'dead' | 'unknown';
  /** Why, in words: "the current token of acme", "expired", "the server refuses it"… */
  why: string;
};

/** A backup Artikey made of a tool file (or an older Artikey's `<file>.artikey-backup`). */
export interface BackupEntry {
  path: string;
  /** The tool file it is a backup of. */
  of: string;
  /** Seconds since the epoch. */
  takenAt: number;
  size: number;
  legacy: boolean;
  credentials: BackupCredential[];
  /** Why it could not be read; what it holds is then unknown. */
  problem: string | null;
  holdsLiveSecret: boolean;
  onlyDeadSecrets: boolean;
}

export type NoticeAction = 'log-in-again' | 'open-instance' | 'dismiss';

export interface NoticeSummary {
  key: string;
  instanceId: string;
  kind: 'expiring' | 'expired' | 'login-required' | 'revoked';
  title: string;
  body: string;
  actions: NoticeAction[];
}

export interface SettingsView {
  defaultTokenLifetimeSeconds: number;
  /** A running Artikey replaces each token this long after it was issued and revokes the one replaced. */
  rotationIntervalSeconds: number;
  expiringThresholdSeconds: number;
  warnBeforeSeconds: number[];
  /** Artikey deletes a backup by itself once every secret in it is dead (the person agreed once). */
  deleteDeadBackups: boolean;
  /** Start Artikey (hidden, in the tray) when the user logs in; null where not supported. */
  launchAtLogin: boolean | null;
}

export interface CliToolsStatus {
  /** Only a packaged app carries the command-line tools to install. */
  available: boolean;
  folder: string;
  commands: string[];
  installed: boolean;
  /** The folder is on PATH, so a new terminal finds the commands. */
  onPath: boolean;
}

export interface CopiedToken {
  /** The clipboard is cleared after this many seconds unless something else replaced it. */
  clearsInSeconds: number;
  /** The copy is marked as a password, so clipboard managers and history skip it (macOS, Windows). */
  concealed: boolean;
}

/** The one value that carries a secret: only after the person confirmed in main's dialog, shown once. */
export interface RevealedToken {
  token: string;
}

export interface BrowserLoginPrompt {
  /** The code the login page asks for. */
  code: string;
  /** The page, already opened in the system browser; shown in case it did not open. */
  url: string;
}

export type InstanceChange = {
  /** Null when the change came from another process (the CLI) and may touch any instance. */
  instanceId: string | null;
  reason:
    | 'login'
    | 'refresh'
    | 'logout'
    | 'rename'
    | 'targets'
    | 'revoked'
    | 'connection'
    | 'external'
    | 'failed';
};

/** Where main asks the page to go: a deep link, a tray item or a notification. */
export type Navigation =
  { to: 'instance'; instanceId: string } | { to: 'login'; url: string | null } | { to: 'settings' };

/** One of the user's tokens as the server lists it (never the token itself). */
export interface ServerToken {
  tokenId: string;
  subject: string;
  description: string | null;
  /** Seconds since the epoch. */
  issuedAt: number | null;
  /** Seconds since the epoch; null = never expires. */
  expiresAt: number | null;
  lastUsedAt: number | null;
  refreshable: boolean;
  /** The token Artikey holds for this instance. */
  current: boolean;
}

/** One line a tool file gains, loses or changes; secrets appear as `<token>` / `<secret>`. */
export interface LineChange {
  /** 1-based line number in the file after the change; null for a removed line. */
  line: number | null;
  before: string | null;
  after: string | null;
}

/** What configuring a tool would do to its file, computed without writing it. */
export interface ToolPreview {
  kind: ToolKind;
  path: string;
  description: string;
  fileExists: boolean;
  changes: LineChange[];
}

/** A repository a tool's entry can name, as the instance lists it. */
export interface RepositoryOption {
  key: string;
  type: 'virtual' | 'remote' | 'local' | 'federated';
  description: string | null;
}

/**
 * An instance's repositories for a tool, virtual first, then remote, local, federated; or, where
 * the server will not list them (403, unreachable), a note and free text. `url.before + key +
 * url.after` is, by `use`, the URL the entry writes (`written`: npm, pip, Maven), or how to use
 * the repository, which the file does not hold: Docker's `pull` command, Gradle's `build-script`
 * line. So the page shows it without knowing each tool's layout.
 */
export type RepositoryChoice = (
  { listed: true; repositories: RepositoryOption[] } | { listed: false; note: string }
) & {
  remembered: string | null;
  use: 'written' | 'pull' | 'build-script' | 'module-source' | 'build-sbt';
  url: { before: string; after: string };
};

export type ActivityKind =
  'login' | 'refresh' | 'refresh-failed' | 'revoked' | 'logout' | 'rename' | 'tools' | 'notice';

/** One entry of the core's activity log: what happened, when, never a secret. */
export interface ActivityEntry {
  /** Seconds since the epoch. */
  at: number;
  kind: ActivityKind;
  instanceId: string | null;
  instanceName: string | null;
  message: string;
}

/** How Artikey reaches one instance: an extra CA bundle and an HTTP(S) proxy. */
export interface ConnectionView {
  caFile: string | null;
  /** `http://host:port`; null = the environment's HTTPS_PROXY / NO_PROXY decide. */
  proxy: string | null;
}

/**
 * Where a tool stands for an instance, for "Set up my tools": configured by Artikey already; its
 * files hold the instance's plain-text credentials (replaced, as migrate does); its program is on
 * PATH; or none of these. `tool` is one of the contract's TOOL_NAMES.
 */
export interface SetupTool {
  tool: string;
  status: 'configured' | 'migrate' | 'installed' | 'not-installed';
  /** The program found on PATH; null when none was. */
  program: string | null;
  configured: ToolEntry[];
  found: FoundCredential[];
  /** Installed or holding plain-text credentials, not configured yet, and possible for the instance: ticked at first. */
  proposed: boolean;
  /** Why the instance cannot have the tool's entry (Go needs https); null when it can. */
  unsuitable: string | null;
  /** The entry needs a repository, or may name one (chosen as in the tools panel); null for netrc and a migration. */
  repository: 'required' | 'optional' | null;
}

export interface SetupProposal {
  instanceId: string;
  instanceName: string;
  tools: SetupTool[];
}

/** What setting up the chosen tools would write: every file's preview, a companion's too; no secret. */
export interface SetupPlanView {
  /** Names the plan to `tools.applySetup`, which writes exactly what was previewed. */
  id: string;
  items: {
    tool: string;
    action: 'configure' | 'migrate';
    entries: string[];
    previews: ToolPreview[];
  }[];
}

export interface SetupResult {
  written: ToolEntry[];
}
