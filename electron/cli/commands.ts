/**
 * Every `artikey` command as data: its arguments, options, examples and the shape of its `--json`
 * output. The parser reads its options from here and both help screens are printed from here, so
 * what a command accepts and what its help says cannot drift apart; run.ts dispatches on `name`
 * (a switch TypeScript checks against this list).
 */

export interface OptionSpec {
  type: 'boolean' | 'string';
  short?: string;
  /** Given more than once, every value counts (otherwise a repeat is refused). */
  multiple?: boolean;
  /** The value's placeholder in help, `<name>`; string options only. */
  value?: string;
  /** One line. */
  help: string;
}

/** What `--json` prints on stdout: one object or array, or (`lines`) one object per line. */
export interface JsonShape {
  kind: 'object' | 'array' | 'lines';
  /** Keys every object (of the array, of each line) has. */
  keys: readonly string[];
  /** One line, for the help. */
  help: string;
}

export interface CommandSpec {
  name: string;
  aliases: readonly string[];
  /** `<instance>`, `[<command>]`; a last `…` takes every remaining argument. */
  arguments: readonly string[];
  /** One line, for the overview. */
  summary: string;
  /** More for the command's own help, when one line is not all. */
  details?: string;
  options: Record<string, OptionSpec>;
  /** Two or three, each a command line as typed. */
  examples: readonly string[];
  json: JsonShape;
}

/** Accepted by every command. */
export const GLOBAL_OPTIONS = {
  json: {
    type: 'boolean',
    help: 'Machine-readable output; a failure is {"error":{"code","message"}} on stderr',
  },
  help: {
    type: 'boolean',
    short: 'h',
    help: 'Show help (for a command: artikey <command> --help)',
  },
  version: { type: 'boolean', short: 'v', help: 'Print the version' },
} as const satisfies Record<string, OptionSpec>;

const TOOLS = 'docker, npm, maven, pip, netrc, gradle, podman, pypirc, poetry, yarn, cargo, helm, go, bun, uv, nuget, jfrog, conan, terraform, sbt';
const INSTANCE_VIEW_KEYS = ['id', 'name', 'platformUrl', 'username', 'status', 'token'];

const commands = [
  {
    name: 'login',
    aliases: [],
    arguments: ['<url>'],
    summary: 'Log in (browser login by default; works with SSO)',
    details:
      'Any URL of the instance works. Secrets never go on the command line, where every user of the machine can read them: --token and --password-stdin read stdin, --password asks without echo.',
    options: {
      user: {
        type: 'string',
        value: '<name>',
        help: 'User name (password login; needed with a reference token)',
      },
      password: { type: 'boolean', help: 'Log in with user name and password, asked without echo' },
      'password-stdin': { type: 'boolean', help: 'Read the password from stdin' },
      token: {
        type: 'boolean',
        help: 'Log in with an access token, reference token or API key read from stdin',
      },
      'revoke-api-key': {
        type: 'boolean',
        help: 'After exchanging an API key for a token, revoke the key',
      },
      'no-browser': {
        type: 'boolean',
        help: 'Print the login page instead of opening a browser (SSH, headless)',
      },
      name: {
        type: 'string',
        value: '<name>',
        help: 'Display name (default: the host); one no other instance has, in any case',
      },
      lifetime: {
        type: 'string',
        value: '<duration>',
        help: 'Token lifetime, e.g. 12h, 7d (default 4d; replaced every 4 h while Artikey runs)',
      },
      'ca-file': {
        type: 'string',
        value: '<pem>',
        help: 'Trust this CA bundle for the instance (a company CA)',
      },
      replace: {
        type: 'boolean',
        help: 'Log in as another user than the instance has; its tool files get the new token',
      },
    },
    examples: [
      'artikey login acme.jfrog.io',
      'artikey login https://arti.corp:8443/artifactory/ --no-browser',
      `printf '%s' "$TOKEN" | artikey login acme.jfrog.io --token`,
    ],
    json: {
      kind: 'object',
      keys: ['instance', 'notes'],
      help: '{"instance": the instance as in list, "notes": [..]}',
    },
  },
  {
    name: 'logout',
    aliases: [],
    arguments: ['<instance>'],
    summary: 'Revoke the token where possible and forget the instance',
    details:
      "Revokes the token, takes Artikey's entries out of every tool file, deletes the secrets from the keychain and forgets the instance.",
    options: {
      'keep-server-token': {
        type: 'boolean',
        help: 'Log out on this machine only; the token stays valid until it expires',
      },
    },
    examples: ['artikey logout acme.jfrog.io', 'artikey logout acme.jfrog.io --keep-server-token'],
    json: {
      kind: 'object',
      keys: ['instance', 'token', 'revoked', 'complete'],
      help: 'every step of the logout, done or not ("complete": false when one failed)',
    },
  },
  {
    name: 'list',
    aliases: ['ls'],
    arguments: [],
    summary: 'All instances with their token status',
    options: {},
    examples: ['artikey list', 'artikey list --json'],
    json: {
      kind: 'array',
      keys: INSTANCE_VIEW_KEYS,
      help: 'an array of instances: id, name, platformUrl, username, status, token, …',
    },
  },
  {
    name: 'status',
    aliases: ['inspect'],
    arguments: ['<instance>'],
    summary: 'Ask the server about the token: revoked? clock skew?',
    details:
      'Exits 1 when the token is revoked or expired, and 7 when the server cannot be reached (it says why: connection refused, DNS, timeout, TLS).',
    options: {},
    examples: ['artikey status acme.jfrog.io', 'artikey status acme.jfrog.io --json'],
    json: {
      kind: 'object',
      keys: [...INSTANCE_VIEW_KEYS, 'nextRefreshAt', 'refresherRunning', 'notices', 'unreachable'],
      help: 'the instance as in list, with serverVersion, clockSkewSeconds, nextRefreshAt, refresherRunning, notices, unreachable ({code, reason, message} or null)',
    },
  },
  {
    name: 'refresh',
    aliases: [],
    arguments: ['<instance>'],
    summary: 'Refresh the token now (spends the single-use refresh token)',
    options: {},
    examples: ['artikey refresh acme.jfrog.io', 'artikey refresh acme.jfrog.io --json'],
    json: {
      kind: 'object',
      keys: INSTANCE_VIEW_KEYS,
      help: 'the instance as in list, with its new token',
    },
  },
  {
    name: 'revoke',
    aliases: [],
    arguments: ['<instance>'],
    summary: "Revoke the instance's token, or another one with --token-id",
    options: {
      'token-id': {
        type: 'string',
        value: '<id>',
        help: 'Revoke this token (its id, as in the JFrog UI) instead of the current one',
      },
    },
    examples: [
      'artikey revoke acme.jfrog.io',
      'artikey revoke acme.jfrog.io --token-id 1a2b3c4d-…',
    ],
    json: {
      kind: 'object',
      keys: ['tokenId', 'revoked'],
      help: '{"tokenId": "…", "revoked": true|false}',
    },
  },
  {
    name: 'token',
    aliases: [],
    arguments: ['<instance>'],
    summary: 'Print the current access token to stdout, for scripts',
    details:
      'Refreshes it first when it is about to expire; a dead token is never printed (exit 4).',
    options: {},
    examples: [
      'artikey token acme.jfrog.io',
      'curl -H "Authorization: Bearer $(artikey token acme.jfrog.io)" https://acme.jfrog.io/artifactory/api/repositories',
    ],
    json: { kind: 'object', keys: ['accessToken'], help: '{"accessToken": "…"}' },
  },
  {
    name: 'rename',
    aliases: [],
    arguments: ['<instance>', '<name>…'],
    summary: 'Change the display name',
    details:
      'Names are how messages and commands refer to an instance: one another instance has (in any case) or an empty one is refused.',
    options: {},
    examples: [
      'artikey rename acme.jfrog.io acme',
      'artikey rename arti.corp:8443 Corp Artifactory',
    ],
    json: { kind: 'object', keys: INSTANCE_VIEW_KEYS, help: 'the instance as in list' },
  },
  {
    name: 'doctor',
    aliases: [],
    arguments: [],
    summary: "Check the keychain and every instance's reachability",
    details: 'Exits 1 when a check fails.',
    options: {},
    examples: ['artikey doctor', 'artikey doctor --json'],
    json: {
      kind: 'array',
      keys: ['check', 'ok', 'detail'],
      help: 'an array of {"check", "ok", "detail"}',
    },
  },
  {
    name: 'agent',
    aliases: [],
    arguments: [],
    summary: 'Keep every token fresh without the desktop app; runs until Ctrl+C',
    details:
      'Refreshes every token before it expires, rewrites the tool files and prints warnings before anything expires. For servers and terminals.',
    options: {},
    examples: ['artikey agent', 'artikey agent --json'],
    json: {
      kind: 'lines',
      keys: ['time', 'event', 'message'],
      help: 'one object per line: {"time", "event", "message", …} (event: started, next-refresh, refreshed, refresh-failed, notice, …, stopped)',
    },
  },
  {
    name: 'configure',
    aliases: [],
    arguments: ['<tool>', '<instance>'],
    summary: "Give a tool the instance's credentials, kept current on every refresh",
    details: `Tools: ${TOOLS}. Artikey rewrites what it wrote on every refresh and takes it out on logout. helm writes a classic chart repository; Helm's OCI registries (oci://) already use Docker's credential helper: configure docker.`,
    options: {
      repo: {
        type: 'string',
        value: '<key>',
        help: "Repository: npm, pip and yarn need one, Maven may mirror through one; Docker, Podman, Gradle, Terraform and sbt are told how to use it (not written); checked against the instance's list (left out on a terminal: a numbered choice)",
      },
      file: {
        type: 'string',
        value: '<path>',
        help: "Write this file instead of the tool's default (~/.npmrc, ~/.m2/settings.xml, …)",
      },
      host: {
        type: 'string',
        multiple: true,
        value: '<registry>',
        help: 'Docker, Podman: a registry host of the instance (repeatable; default its host)',
      },
      auths: {
        type: 'boolean',
        help: 'Docker: write the token into config.json auths instead of using the credential helper',
      },
      scope: {
        type: 'string',
        value: '<@scope>',
        help: 'npm, yarn, bun: route this scope to the repository (@scope:registry=, npmScopes, [install.scopes])',
      },
      'set-registry': {
        type: 'boolean',
        help: 'npm, yarn: also make the repository the default registry (registry=, npmRegistryServer); uv: default = true on its index',
      },
      'server-id': {
        type: 'string',
        value: '<id>',
        help: "Maven: the <server> id (default artifactory-mirror); jfrog: the server id jf --server-id names (default the instance's name)",
      },
      mirror: {
        type: 'string',
        value: '<repo>',
        help: 'Maven: also mirror every repository through this one',
      },
      prefix: {
        type: 'string',
        value: '<name>',
        help: 'Gradle: property prefix (default artifactory: artifactory_user, …)',
      },
      section: {
        type: 'string',
        value: '<name>',
        help: "pypirc: the .pypirc section twine upload -r names; poetry: the repository name; uv: the [[index]] name (default the instance's name)",
      },
      'registry-name': {
        type: 'string',
        value: '<name>',
        help: 'Cargo: the registry name crates use (registry = "<name>"; default artifactory)',
      },
      name: {
        type: 'string',
        value: '<name>',
        help: 'Helm: the repository name (helm install <name>/<chart>; default the repository key); NuGet: the package source name (nuget install -Source <name>; default Artifactory); Conan: the remote name (conan install -r <name>; default the repository key)',
      },
      nosumdb: {
        type: 'string',
        value: '<patterns>',
        help: 'Go: also write GONOSUMDB=<patterns> (comma-separated module globs, e.g. github.com/acme/*): modules fetched through Artifactory without asking the public checksum database',
      },
      private: {
        type: 'string',
        value: '<patterns>',
        help: "Go: also write GOPRIVATE=<patterns>: Go fetches those modules straight from their VCS, not through Artifactory (use --nosumdb for private modules Artifactory serves)",
      },
      protocol: {
        type: 'string',
        value: '<v3|v2>',
        help: 'NuGet: the v3 service index (default) or the v2 feed (api/nuget/<repo>)',
      },
      'replace-references': {
        type: 'boolean',
        help: 'Overwrite an entry that reads the token from a variable (${NPM_TOKEN})',
      },
      default: {
        type: 'boolean',
        help: "jfrog: make the server jf's default (the previous default comes back when it is removed)",
      },
    },
    examples: [
      'artikey configure docker acme.jfrog.io',
      'artikey configure npm acme.jfrog.io --repo npm-virtual --set-registry',
      'artikey configure maven acme.jfrog.io --mirror libs-release',
      'artikey configure podman acme.jfrog.io --repo docker-virtual',
      'artikey configure pypirc acme.jfrog.io --repo pypi-local',
      'artikey configure poetry acme.jfrog.io --repo pypi-local',
      'artikey configure yarn acme.jfrog.io --repo npm-virtual --scope @acme',
      'artikey configure cargo acme.jfrog.io --repo cargo-virtual',
      'artikey configure helm acme.jfrog.io --repo helm-virtual --name acme',
      'artikey configure go acme.jfrog.io --repo go-virtual --nosumdb github.com/acme/*',
      'artikey configure bun acme.jfrog.io --repo npm-virtual',
      'artikey configure uv acme.jfrog.io --repo pypi-virtual',
      'artikey configure nuget acme.jfrog.io --repo nuget-virtual --name Acme',
      'artikey configure jfrog acme.jfrog.io --default',
      'artikey configure conan acme.jfrog.io --repo conan-virtual',
      'artikey configure terraform acme.jfrog.io --repo terraform-virtual',
      'artikey configure sbt acme.jfrog.io --repo sbt-virtual',
    ],
    json: {
      kind: 'object',
      keys: ['changed', 'target'],
      help: '{"changed": true|false, "target": what was written where, "repository": {"key", "usage", "snippets"} when one was chosen}',
    },
  },
  {
    name: 'setup',
    aliases: [],
    arguments: ['<instance>'],
    summary: 'Set up every tool you use in one step: detect, choose, preview, apply all or none',
    details:
      "Finds the tools installed (their programs on PATH) and those already reaching the instance, proposes the rest, asks each one's repository from the instance's list, shows every file's changes on one screen and asks once. Either every file is written or none is changed: a failure puts back the files already written. Plain-text credentials of the instance found in a tool's files are replaced, as migrate does, rather than given a second entry.",
    options: {
      tools: {
        type: 'string',
        value: '<a,b,…>',
        help: `The tools to set up (${TOOLS}); without it (and --all-detected) a terminal asks`,
      },
      'all-detected': {
        type: 'boolean',
        help: 'Set up every tool proposed: installed or holding credentials, and not configured yet',
      },
      repo: {
        type: 'string',
        multiple: true,
        value: '<tool>=<key>',
        help: "A tool's repository, e.g. npm=npm-virtual (repeatable); left out on a terminal: a numbered choice",
      },
      yes: { type: 'boolean', short: 'y', help: 'Apply without asking' },
      'dry-run': { type: 'boolean', help: 'Show what would change and change nothing' },
    },
    examples: [
      'artikey setup acme.jfrog.io',
      'artikey setup acme.jfrog.io --tools npm,maven,docker --repo npm=npm-virtual --dry-run',
      'artikey setup acme.jfrog.io --all-detected --repo npm=npm-virtual --repo pip=pypi-virtual --yes',
    ],
    json: {
      kind: 'object',
      keys: ['instance', 'tools', 'plan', 'applied'],
      help: '{"instance", "tools": each tool\'s status, program and proposal, "plan": every file\'s preview (null before the tools are chosen), "applied": what was written (null unless applied)}',
    },
  },
  {
    name: 'unconfigure',
    aliases: [],
    arguments: ['<tool>', '<instance>'],
    summary: 'Take out exactly what configure wrote (logout does it for all)',
    options: {
      file: { type: 'string', value: '<path>', help: 'Only from this file' },
    },
    examples: ['artikey unconfigure npm acme.jfrog.io', 'artikey unconfigure docker acme.jfrog.io'],
    json: {
      kind: 'object',
      keys: ['removed', 'failed'],
      help: '{"removed": [..], "failed": [..]}',
    },
  },
  {
    name: 'scan',
    aliases: [],
    arguments: [],
    summary: 'Find plain-text Artifactory credentials: API keys, tokens, passwords',
    details:
      'Looks in Docker, npm, Maven, pip, netrc, Gradle, JFrog CLI, .pypirc, Poetry, Yarn, Cargo, Helm, Bun, uv, NuGet, Conan, Terraform and sbt files and the Go env file; never prints a secret.',
    options: {
      check: {
        type: 'boolean',
        help: 'Also ask each logged-in instance whether its credentials still work',
      },
    },
    examples: ['artikey scan', 'artikey scan --check', 'artikey scan --json'],
    json: {
      kind: 'object',
      keys: ['found', 'problems', 'searched', 'backups'],
      help: '{"found": [..], "problems": [..], "searched": [..], "backups": [..]}',
    },
  },
  {
    name: 'migrate',
    aliases: [],
    arguments: ['<instance>'],
    summary: "Replace the instance's plain-text credentials with entries Artikey keeps fresh",
    details:
      'Shows the plan and asks (--yes applies it). A server not logged in to yet is logged in to first, with the API key found or through the browser.',
    options: {
      yes: {
        type: 'boolean',
        short: 'y',
        help: 'Apply the plan (and log in first where needed) without asking',
      },
      'no-browser': { type: 'boolean', help: 'Print the login page instead of opening a browser' },
    },
    examples: ['artikey migrate acme.jfrog.io', 'artikey migrate acme.jfrog.io --yes'],
    json: {
      kind: 'object',
      keys: ['steps'],
      help: 'the plan {"steps": [..]}; applied: also "applied", "failed", "backups"',
    },
  },
  {
    name: 'backups',
    aliases: [],
    arguments: [],
    summary: 'The backups Artikey made of tool files and the secrets they hold',
    options: {
      check: { type: 'boolean', help: 'Also ask the servers whether those secrets still work' },
      delete: {
        type: 'string',
        multiple: true,
        value: '<path>',
        help: 'Delete this backup (repeatable; asks first unless --yes)',
      },
      'delete-dead': {
        type: 'boolean',
        help: 'Delete every backup whose secrets are all dead (asks first unless --yes)',
      },
      'auto-delete': {
        type: 'string',
        value: 'on|off',
        help: 'Let Artikey delete such backups by itself once their secrets are dead',
      },
      yes: { type: 'boolean', short: 'y', help: 'Delete without asking' },
    },
    examples: [
      'artikey backups --check',
      'artikey backups --delete ~/.npmrc.artikey-backup-20261205T064400Z',
      'artikey backups --delete-dead --yes',
    ],
    json: {
      kind: 'object',
      keys: [],
      help: '{"backups": [..]}; with --delete: {"deleted", "failed"}; with --auto-delete: {"deleteDeadBackups"}',
    },
  },
  {
    name: 'help',
    aliases: [],
    arguments: ['[<command>]'],
    summary: "A command's usage, options and examples",
    options: {},
    examples: ['artikey help', 'artikey help login'],
    json: {
      kind: 'object',
      keys: ['usage', 'options', 'examples'],
      help: 'the help as data: {"usage", "summary", "options", "examples", "json", …}',
    },
  },
] as const satisfies readonly CommandSpec[];

export type CommandName = (typeof commands)[number]['name'];

export const COMMANDS: readonly CommandSpec[] = commands;

/** The command a word names (its name or an alias), or undefined. */
export function findCommand(word: string): (CommandSpec & { name: CommandName }) | undefined {
  return commands.find((c) => c.name === word || (c.aliases as readonly string[]).includes(word));
}

/** How many positional arguments the command takes. */
export function argumentCount(spec: CommandSpec): { min: number; max: number } {
  const required = spec.arguments.filter((a) => !a.startsWith('['));
  return {
    min: required.length,
    max: spec.arguments.some((a) => a.endsWith('…')) ? Infinity : spec.arguments.length,
  };
}

type Options = (typeof commands)[number]['options'] | typeof GLOBAL_OPTIONS;
type KeysOfUnion<T> = T extends T ? keyof T : never;
type ValueOf<O> = O extends { type: 'boolean' }
  ? boolean
  : O extends { multiple: true }
    ? string[]
    : string;

/** The parsed options of any command, typed from the definitions above. */
export type OptionValues = {
  [K in KeysOfUnion<Options>]?: ValueOf<Extract<Options, Record<K, unknown>>[K]>;
};
