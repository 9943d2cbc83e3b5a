import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import {
  existsSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { osKeychain } from '../../electron/core/keychain.js';
import { parseState, type InstanceRecord, type StateData } from '../../electron/core/state.js';
import { Vault, type InstanceSecrets } from '../../electron/core/vault.js';
import { DEMO_USER } from '../fake-artifactory/directory.js';
import { startFakeArtifactory, type FakeArtifactory } from '../fake-artifactory/server.js';
import type { TokenRecord } from '../fake-artifactory/token-store.js';
import { root } from './built.js';
import { artikeyEnv, runClient, scratchHome, type ClientRun } from './clients.js';

/**
 * The model-based lifecycle test (issue 14): real `artikey` processes (and sometimes the agent)
 * run random sequences of logins, configure/unconfigure, refresh, token, revoke and logout at
 * once against two fake Artifactory instances, in a scratch HOME whose tool files start with
 * lines the user wrote, while some processes are SIGKILLed at random moments. After every round
 * (every process gone) the invariants below are checked against the files, the state file, the
 * real keychain and the fake's own token store. Seeded: a failing seed replays the same choices
 * (the timing of the processes is the machine's). A round that breaks an invariant is reported
 * with its operation log, and the world is reset so the next round reports its own breakage.
 *
 * Kill windows that are not violations, each classified where it is checked: a refresh (by
 * `refresh`, `token`, `configure`, the Docker helper or the agent) killed after the server spent
 * the refresh token and before the keychain held the new pair (the session is lost, the next
 * `artikey refresh` must say "log in again"; counted as unavoidableLosses), and a login killed
 * after the server created its token and before it revoked the one it replaced (counted as
 * loginWindowOrphans: excused only until a later login or refresh of that instance succeeds,
 * which must revoke it). A revoke or logout killed after asking the server is not one: the state
 * said beforehand that the token is being revoked.
 */

export interface LifecycleOptions {
  seed: number;
  /** Rounds run at least this many, whatever the time. */
  minRounds: number;
  /** No round starts after this much wall time (once minRounds are done). */
  budgetMs: number;
  /** Stop once this many processes were killed (and minRounds are done); 0 = no such goal. */
  minKills?: number;
  /** Concurrent sequences per round. */
  lanes?: number;
  /** Probability that a process is SIGKILLed at a random moment of its run. */
  killRate?: number;
  /** The checkout whose dist/cli runs (default this one); lets a variant build be checked against the same invariants. */
  cliRoot?: string;
  /** Receives a line per finished round. */
  progress?: (line: string, log: string[]) => void;
}

export interface Violation {
  round: number;
  invariant: Invariant;
  message: string;
  /** What was killed in that round (kills explain some breakages; none means pure concurrency). */
  killed: string[];
  /** Earlier rounds whose kills left what broke (a token still live), whose logs the report shows too. */
  leftInRounds?: number[];
}

export type Invariant =
  | 'files-parse'
  | 'no-forgotten-copy'
  | 'targets-hold-current-token'
  | 'server-tokens'
  | 'user-content-unchanged'
  | 'no-revoked-token-in-files'
  | 'no-dead-token-handed-out'
  | 'session-kept'
  | 'user-unchanged'
  | 'no-secret-in-backups'
  | 'agent-reports-real-refreshes'
  | 'keychain-unavailable-changes-nothing'
  | 'no-crash';

export interface LifecycleReport {
  seed: number;
  rounds: number;
  operations: number;
  kills: number;
  killsByOperation: Record<string, number>;
  violations: Violation[];
  violationsByInvariant: Partial<Record<Invariant, number>>;
  /** Sessions lost in the documented window: a refresh killed after the server spent the refresh token. */
  unavoidableLosses: number;
  /**
   * Tokens left live by a login killed in its window (after the server created the token and
   * before the keychain stored it, or before the token it replaced was revoked) and still live
   * when the round was checked. The next login or refresh of that instance that succeeds revokes
   * them (one still live after that is a 'server-tokens' violation).
   */
  loginWindowOrphans: number;
  /**
   * Tokens such sweeps revoked, as Artikey's activity log reports them: also those swept in the
   * round that left them, before any check could see them live.
   */
  loginOrphansSwept: number;
  msPerRound: number;
  /** The operation log of each round that broke an invariant, for the failure message. */
  logs: Record<number, string[]>;
}

/** mulberry32: small, fast and good enough to replay a run from its seed. */
export function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
}

/** Files as the user left them before Artikey ever ran, with entries for other hosts that must survive. */
const USER_FILES: Record<UserFile, string> = {
  npmrc:
    '# my npm settings\nregistry=https://registry.npmjs.org/\n//npm.other.example/:_authToken=other-secret-npm\nsave-exact=true\n',
  maven:
    '<?xml version="1.0" encoding="UTF-8"?>\n<settings>\n  <!-- written by me -->\n  <servers>\n    <server>\n      <id>other</id>\n      <username>me</username>\n      <password>other-secret-maven</password>\n    </server>\n  </servers>\n</settings>\n',
  // Tabs, an untouched one-line object, a duplicate key and numbers and escapes a re-serialiser changes (item 6).
  docker:
    '{\n\t"auths": {\n\t\t"other.example": { "auth": "b3RoZXI6c2VjcmV0" }\n\t},\n\t"credHelpers": {\n\t\t"gcr.io": "gcloud"\n\t},\n\t"big": 12345678901234567890,\n\t"ratio": 1.50,\n\t"note": "caf\\u00e9 \\/",\n\t"dup": 1,\n\t"dup": 2\n}\n',
  pip: '[global]\ntimeout = 60\nindex-url = https://pypi.org/simple\n\n[install]\ntrusted-host = other.example\n',
  netrc: 'machine other.example\n  login me\n  password other-secret-netrc\n',
  gradle: '# gradle\norg.gradle.jvmargs=-Xmx2g\nother_password=other-secret-gradle\n',
};

/** A user line Artikey replaces while configured and must put back when it is not (item 7). */
const REPLACEABLE: Partial<Record<FileName, { line: string; kind: string }>> = {
  pip: { line: 'index-url = https://pypi.org/simple', kind: 'pip' },
};

type UserFile = 'npmrc' | 'maven' | 'docker' | 'pip' | 'netrc' | 'gradle';
/** Plus a file only Artikey writes: instance B's project .npmrc, created and removed with its entry. */
type FileName = UserFile | 'projectNpmrc';

const FILE_PATHS: Record<FileName, string> = {
  npmrc: '.npmrc',
  maven: '.m2/settings.xml',
  docker: '.docker/config.json',
  pip: '.config/pip/pip.conf',
  netrc: '.netrc',
  gradle: '.gradle/gradle.properties',
  projectNpmrc: 'project/.npmrc',
};

/** What `configure <tool>` gets per instance; instance B shares the files but not netrc and pip (one entry per host/file). */
const TOOLS: { tool: string; args: (i: number, home: string) => string[]; instances: number[] }[] =
  [
    { tool: 'docker', args: () => [], instances: [0, 1] },
    {
      tool: 'npm',
      args: (i, home) => [
        '--repo',
        'npm-virtual',
        ...(i === 1 ? ['--file', join(home, FILE_PATHS.projectNpmrc)] : []),
      ],
      instances: [0, 1],
    },
    { tool: 'maven', args: (i) => ['--server-id', `artikey-${'ab'[i]}`], instances: [0, 1] },
    { tool: 'gradle', args: (i) => ['--prefix', `art${'ab'[i]}`], instances: [0, 1] },
    { tool: 'pip', args: () => ['--repo', 'pypi-virtual'], instances: [0] },
    { tool: 'netrc', args: () => [], instances: [0] },
  ];

const JWT = /eyJ[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+/g;
const NO_KEYCHAIN = 'unix:path=/nonexistent/artikey-lifecycle-bus';

interface Operation {
  label: string;
  script: 'artikey.js' | 'docker-credential-artikey.cjs';
  args: string[];
  input: string;
  instance: number;
  /** Runs with the keychain out of reach (D-Bus cut off). */
  noKeychain: boolean;
}

interface Finished {
  op: Operation;
  code: number | null;
  signal: NodeJS.Signals | null;
  killed: boolean;
  startedAt: number;
  endedAt: number;
  stderr: string;
}

export async function runLifecycle(options: LifecycleOptions): Promise<LifecycleReport> {
  const random = prng(options.seed);
  const cli = `${options.cliRoot ?? root}dist/cli`;
  const pick = <T>(items: readonly T[]): T => items[Math.floor(random() * items.length)] as T;
  const lanes = options.lanes ?? 3;
  const killRate = options.killRate ?? 0.3;
  // Short lifetimes make refreshes happen on their own: the fake keeps and revokes tokens of 30 s and more.
  // The logins are password logins, on a permissive server (token generation via the API with Basic
  // enabled): a browser login makes and revokes one more token, which would change the kill windows
  // this model knows.
  const config = {
    revocableThresholdSeconds: 30,
    persistencyThresholdSeconds: 30,
    allowBasicAuthTokenCreation: true,
  };
  const fakes = [await startFakeArtifactory({ config }), await startFakeArtifactory({ config })];
  const scratch = scratchHome();
  const env = artikeyEnv(scratch);
  const service = env['ARTIKEY_KEYCHAIN_SERVICE'] ?? '';
  const keychain = osKeychain({ service });
  const vault = new Vault(keychain);
  const stateFile = join(scratch.home, '.config', 'artikey', 'state.json');
  const path = (file: FileName): string => join(scratch.home, FILE_PATHS[file]);
  const typicalMs = new Map<string, number>();

  /** Tokens a kill left live in a documented window, across rounds (they die at their expiry). */
  const counted = new Set<string>();
  /** Sessions lost in the refresh window, across rounds: until the next login they stay lost. */
  const lostSessions = new Set<string>();
  /** Tokens killed logins left live, across rounds, with when their login was killed: until a sweep they are excused. */
  const loginOrphans = new Map<
    string,
    { fake: FakeArtifactory; killedAt: number; round: number }
  >();
  /** The operation log of each round since the last reset: a token left live rounds ago is explained by its round's log. */
  const roundLogs = new Map<number, string[]>();
  /** The sweeps' revocations the activity log held at the last check (it starts again with the world). */
  let sweptCounted = 0;
  const sweptSoFar = (): number => {
    const file = join(dirname(stateFile), 'activity.jsonl');
    if (!existsSync(file)) return 0;
    let total = 0;
    for (const line of readFileSync(file, 'utf8').split('\n')) {
      const swept = /"Revoked (\d+) token\(s\) left on the server by a login that was stopped/.exec(
        line,
      );
      total += swept ? Number(swept[1]) : 0;
    }
    return total;
  };
  const report: LifecycleReport = {
    seed: options.seed,
    rounds: 0,
    operations: 0,
    kills: 0,
    killsByOperation: {},
    violations: [],
    violationsByInvariant: {},
    unavoidableLosses: 0,
    loginWindowOrphans: 0,
    loginOrphansSwept: 0,
    msPerRound: 0,
    logs: {},
  };

  const writeUserFiles = (): void => {
    mkdirSync(join(scratch.home, 'project'), { recursive: true });
    for (const file of Object.keys(USER_FILES) as UserFile[]) {
      mkdirSync(dirname(path(file)), { recursive: true });
      writeFileSync(path(file), USER_FILES[file], { mode: 0o600 });
    }
  };

  /** Back to the start after a round that broke something: later rounds then report their own breakage. */
  const resetWorld = async (): Promise<void> => {
    for (const fake of fakes) for (const token of fake.tokens.all()) fake.tokens.revoke(token);
    loginOrphans.clear();
    roundLogs.clear();
    sweptCounted = 0;
    for (const account of await keychain.accounts()) await keychain.delete(account);
    rmSync(join(scratch.home, '.config', 'artikey'), { recursive: true, force: true });
    for (const backup of backups()) rmSync(backup, { force: true });
    rmSync(path('projectNpmrc'), { force: true });
    writeUserFiles();
    await loginBoth();
  };

  /** Every run (and every reset) starts logged in to both instances, so the first round has something to work on. */
  const loginBoth = async (): Promise<void> => {
    // A with a token that falls due within a run, B with one that is served as it is.
    for (const [i, fake] of fakes.entries()) {
      const { done } = launch({
        label: 'setup login',
        script: 'artikey.js',
        args: [
          'login',
          fake.url,
          '--user',
          DEMO_USER.name,
          '--password-stdin',
          '--lifetime',
          i === 0 ? '45s' : '12h',
        ],
        input: DEMO_USER.password,
        instance: 0,
        noKeychain: false,
      });
      const result = await done;
      if (result.code !== 0)
        throw new Error(`the lifecycle setup could not log in: ${result.stderr}`);
    }
  };

  const backups = (): string[] => {
    const found: string[] = [];
    const walk = (folder: string): void => {
      for (const entry of readdirSync(folder, { withFileTypes: true })) {
        const full = join(folder, entry.name);
        if (entry.isDirectory() && entry.name !== 'run') walk(full);
        else if (entry.isFile() && /backup/i.test(entry.name)) found.push(full);
      }
    };
    walk(scratch.home);
    return found;
  };

  const launch = (op: Operation): { child: ChildProcess; done: Promise<Finished> } => {
    const startedAt = Date.now();
    const child = spawn(process.execPath, [`${cli}/${op.script}`, ...op.args], {
      env: op.noKeychain ? { ...env, DBUS_SESSION_BUS_ADDRESS: NO_KEYCHAIN } : env,
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    let stderr = '';
    let stdout = '';
    child.stderr?.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    // The Docker helper says what went wrong on stdout; other stdout may be a token and is never kept.
    child.stdout?.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stdin?.on('error', () => undefined);
    child.stdin?.end(op.input);
    const done = new Promise<Finished>((resolve) =>
      child.on('close', (code, signal) =>
        resolve({
          op,
          code,
          signal,
          killed: signal === 'SIGKILL',
          startedAt,
          endedAt: Date.now(),
          stderr:
            op.script === 'docker-credential-artikey.cjs' && code !== 0
              ? `${stdout}${stderr}`
              : stderr,
        }),
      ),
    );
    return { child, done };
  };

  /** `artikey token` and `artikey refresh`, run asynchronously: the fakes answer from this process's event loop. */
  const tokenOf = (fake: FakeArtifactory): Promise<ClientRun> =>
    runClient(process.execPath, [`${cli}/artikey.js`, 'token', fake.host], { env });
  // A lost session's access token may still look valid to Artikey (only the server revoked it): refresh is what must fail.
  const refreshOf = (fake: FakeArtifactory): Promise<ClientRun> =>
    runClient(process.execPath, [`${cli}/artikey.js`, 'refresh', fake.host], { env });

  const host = (i: number): string => (fakes[i] as FakeArtifactory).host;

  /** A command run with the keychain out of reach (D-Bus cut off): it must fail and change nothing. */
  const blindOperation = (instance: number): Operation => {
    const at = host(instance);
    const base = { instance, input: '', noKeychain: false, script: 'artikey.js' as const };
    const blind = pick([
      { label: 'logout', args: ['logout', at] },
      { label: 'refresh', args: ['refresh', at] },
      { label: 'configure npm', args: ['configure', 'npm', at, '--repo', 'npm-virtual'] },
      {
        label: 'login',
        args: [
          'login',
          (fakes[instance] as FakeArtifactory).url,
          '--user',
          DEMO_USER.name,
          '--password-stdin',
        ],
        input: DEMO_USER.password,
      },
    ]);
    return {
      ...base,
      noKeychain: true,
      label: `${blind.label} ${'AB'[instance]} (keychain unavailable)`,
      args: blind.args,
      input: blind.input ?? '',
    };
  };

  const randomOperation = (): Operation => {
    const instance = random() < 0.6 ? 0 : 1;
    const at = host(instance);
    const base = { instance, input: '', noKeychain: false, script: 'artikey.js' as const };
    const roll = random();
    if (roll < 0.12) {
      // 45 s tokens fall due within a run (the agent, token and the helper refresh them); longer ones are served as they are.
      const lifetime = pick(['45s', '10m', '12h', '12h']);
      return {
        ...base,
        label: `login ${'AB'[instance]} --lifetime ${lifetime}`,
        args: [
          'login',
          (fakes[instance] as FakeArtifactory).url,
          '--user',
          DEMO_USER.name,
          '--password-stdin',
          '--lifetime',
          lifetime,
        ],
        input: DEMO_USER.password,
      };
    }
    if (roll < 0.42) {
      const tool = pick(TOOLS.filter((t) => t.instances.includes(instance)));
      return {
        ...base,
        label: `configure ${tool.tool} ${'AB'[instance]}`,
        args: ['configure', tool.tool, at, ...tool.args(instance, scratch.home)],
      };
    }
    if (roll < 0.52) {
      const tool = pick(TOOLS.filter((t) => t.instances.includes(instance)));
      return {
        ...base,
        label: `unconfigure ${tool.tool} ${'AB'[instance]}`,
        args: ['unconfigure', tool.tool, at],
      };
    }
    if (roll < 0.67) return { ...base, label: `refresh ${'AB'[instance]}`, args: ['refresh', at] };
    if (roll < 0.74) return { ...base, label: `token ${'AB'[instance]}`, args: ['token', at] };
    if (roll < 0.79)
      return {
        ...base,
        script: 'docker-credential-artikey.cjs',
        label: `docker-credential-artikey get ${'AB'[instance]}`,
        args: ['get'],
        input: at,
      };
    if (roll < 0.85) return { ...base, label: `revoke ${'AB'[instance]}`, args: ['revoke', at] };
    if (roll < 0.9) return { ...base, label: `logout ${'AB'[instance]}`, args: ['logout', at] };
    if (roll < 0.93)
      return {
        ...base,
        label: `login ${'AB'[instance]} as bob (no --replace)`,
        args: [
          'login',
          (fakes[instance] as FakeArtifactory).url,
          '--user',
          'bob',
          '--password-stdin',
        ],
        input: 'bob-demo-password',
      };
    return blindOperation(instance);
  };

  /** The state file, every tool file and each server's live tokens, to tell whether anything changed. */
  const snapshot = (): Record<string, string> => {
    const taken: Record<string, string> = {
      'state.json': existsSync(stateFile) ? readFileSync(stateFile, 'utf8') : '',
    };
    for (const file of Object.keys(FILE_PATHS) as FileName[])
      taken[FILE_PATHS[file]] = existsSync(path(file)) ? readFileSync(path(file), 'utf8') : '';
    for (const [i, fake] of fakes.entries())
      taken[`the live tokens of ${'AB'[i]}`] = liveArtikeyTokens(fake)
        .map((t) => t.id)
        .join(',');
    return taken;
  };

  /** Who each instance is logged in as right now (null: not logged in), from the state file. */
  const users = (): (string | null)[] => {
    let state: StateData | null = null;
    try {
      state = existsSync(stateFile) ? parseState(readFileSync(stateFile, 'utf8'), stateFile) : null;
    } catch {
      state = null;
    }
    return fakes.map(
      (fake) =>
        state?.instances.find((r) => r.platformUrl.replace(/\/$/, '') === fake.url)?.username ??
        null,
    );
  };

  /**
   * Bob's login is the probe for item 4: it runs only against an instance alice is logged in to,
   * where it must be refused; elsewhere alice logs in instead (confirming with --replace where a
   * race let bob in, so later rounds are alice's again).
   */
  const bobProbes: { instance: number; startedAt: number }[] = [];
  const asUserWouldNow = (op: Operation): Operation => {
    if (op.noKeychain || op.args[0] !== 'login') return op;
    const user = users()[op.instance];
    if (op.args.includes('bob')) {
      if (user === DEMO_USER.name) {
        bobProbes.push({ instance: op.instance, startedAt: Date.now() });
        return op;
      }
      return {
        ...op,
        label: `login ${'AB'[op.instance]}`,
        args: [
          'login',
          (fakes[op.instance] as FakeArtifactory).url,
          '--user',
          DEMO_USER.name,
          '--password-stdin',
          ...(user ? ['--replace'] : []),
        ],
        input: DEMO_USER.password,
      };
    }
    return user !== null && user !== DEMO_USER.name
      ? { ...op, label: `${op.label} --replace`, args: [...op.args, '--replace'] }
      : op;
  };

  writeUserFiles();
  const started = Date.now();
  try {
    await loginBoth();
    for (let round = 1; ; round++) {
      const enough =
        round > options.minRounds &&
        (Date.now() - started > options.budgetMs ||
          (options.minKills !== undefined &&
            options.minKills > 0 &&
            report.kills >= options.minKills));
      if (enough) break;
      const roundStart = Date.now();
      bobProbes.length = 0;
      const log: string[] = [];
      const note = (line: string): void =>
        void log.push(`+${String(Date.now() - roundStart).padStart(5)} ms ${line}`);
      const finished: Finished[] = [];
      const refreshesBefore = fakes.map((f) => f.tokens.refreshCount);

      // The agent runs for part of the rounds, and is sometimes killed too.
      let agent: {
        child: ChildProcess;
        output: () => string;
        closed: Promise<unknown>;
        startedAt: number;
      } | null = null;
      if (random() < 0.35) {
        const child = spawn(process.execPath, [`${cli}/artikey.js`, 'agent'], {
          env,
          stdio: ['ignore', 'pipe', 'pipe'],
        });
        let output = '';
        child.stdout?.on('data', (chunk: Buffer) => (output += chunk.toString()));
        child.stderr?.on('data', (chunk: Buffer) => (output += chunk.toString()));
        agent = {
          child,
          output: () => output,
          closed: new Promise((resolve) => child.on('close', resolve)),
          startedAt: Date.now(),
        };
        note('agent started');
      }

      const lane = async (index: number): Promise<void> => {
        const steps = 1 + Math.floor(random() * 3);
        const plan = Array.from({ length: steps }, randomOperation);
        const kills = plan.map(() => random() < killRate);
        const delays = plan.map(() => random());
        for (const [n, planned] of plan.entries()) {
          const op = asUserWouldNow(planned);
          const running = launch(op);
          note(`[lane ${index}] start ${op.label}`);
          let timer: NodeJS.Timeout | undefined;
          if (kills[n]) {
            // Anywhere over the command's usual span: start-up, lock, request, keychain, files, exit.
            const span = (typicalMs.get(op.label.split(' ')[0] ?? '') ?? 600) * 1.1;
            timer = setTimeout(
              () => running.child.kill('SIGKILL'),
              Math.floor((delays[n] ?? 0) * span),
            );
          }
          const result = await running.done;
          clearTimeout(timer);
          finished.push(result);
          report.operations++;
          const took = result.endedAt - result.startedAt;
          const kind = op.label.split(' ')[0] ?? '';
          if (!result.killed)
            typicalMs.set(kind, Math.round(((typicalMs.get(kind) ?? took) * 3 + took) / 4));
          if (result.killed) {
            report.kills++;
            report.killsByOperation[kind] = (report.killsByOperation[kind] ?? 0) + 1;
          }
          const firstError = result.stderr.split('\n').find((l) => l.trim() !== '') ?? '';
          note(
            `[lane ${index}] ${op.label} → ${result.killed ? `KILLED after ${took} ms` : `exit ${result.code} (${took} ms)${result.code === 0 ? '' : `: ${firstError.slice(0, 240)}`}`}`,
          );
        }
      };
      await Promise.all(Array.from({ length: lanes }, (_, i) => lane(i + 1)));

      let agentKilled = false;
      if (agent) {
        agentKilled = random() < killRate;
        agent.child.kill(agentKilled ? 'SIGKILL' : 'SIGTERM');
        await agent.closed;
        if (agentKilled) {
          report.kills++;
          report.killsByOperation['agent'] = (report.killsByOperation['agent'] ?? 0) + 1;
        }
        note(
          `agent ${agentKilled ? 'KILLED' : 'stopped'}; it printed: ${agent.output().trim().split('\n').join(' | ').slice(0, 400)}`,
        );
      }

      // Alone, so nothing else can explain a change: a command that cannot reach the keychain
      // changes no file, no state and creates no server token (items 2 and 3).
      let blindChange: string | null = null;
      if (random() < 0.5) {
        const op = blindOperation(random() < 0.6 ? 0 : 1);
        const before = snapshot();
        const result = await launch(op).done;
        report.operations++;
        const after = snapshot();
        note(
          `[alone] ${op.label} → exit ${result.code}: ${result.stderr.trim().split('\n')[0]?.slice(0, 160) ?? ''}`,
        );
        const changed = Object.keys(before).filter((key) => before[key] !== after[key]);
        if (result.code === 0 || changed.length > 0)
          blindChange = `${op.label} exited ${result.code}${changed.length ? ` and changed ${changed.join(', ')}` : ''}`;
      }

      const killedOps = finished.filter((f) => f.killed);
      const killed = [...killedOps.map((f) => f.op.label), ...(agentKilled ? ['agent'] : [])];
      const found: Violation[] = [];
      const violate = (invariant: Invariant, message: string, leftInRounds?: number[]): void =>
        void found.push({
          round,
          invariant,
          message,
          killed,
          ...(leftInRounds ? { leftInRounds } : {}),
        });

      if (blindChange) violate('keychain-unavailable-changes-nothing', blindChange);
      for (const f of finished)
        if (!f.killed && (f.code === 70 || f.code === null || /at .*\.js:\d+:\d+/.test(f.stderr)))
          violate(
            'no-crash',
            `${f.op.label} crashed (exit ${f.code}${f.signal ? `, ${f.signal}` : ''}): ${f.stderr.slice(0, 400)}`,
          );

      if (agent) {
        const lines = agent
          .output()
          .split('\n')
          .filter(
            (l) =>
              /^refreshed /.test(l.replace(/^.*?: /, '')) || /\brefreshed 127\.0\.0\.1/.test(l),
          ).length;
        const made = fakes.reduce(
          (sum, f, i) => sum + f.tokens.refreshCount - (refreshesBefore[i] ?? 0),
          0,
        );
        if (lines > made)
          violate(
            'agent-reports-real-refreshes',
            `the agent printed ${lines} "refreshed" lines while the servers made ${made} refreshes in the whole round`,
          );
      }

      // After a kill, the next Artikey command that looks at an instance finishes what the killed
      // process left half-done (see Refreshes#catchUp): the invariants are judged after it.
      if (killed.length > 0) {
        for (const fake of fakes) {
          if (!existsSync(stateFile) || !readFileSync(stateFile, 'utf8').includes(fake.url))
            continue;
          const next = await tokenOf(fake);
          report.operations++;
          note(`[after the kill] token ${'AB'[fakes.indexOf(fake)]} → exit ${next.code}`);
        }
      }

      const world = await observe();
      await checkInvariants(
        world,
        finished,
        agent && agentKilled ? { startedAt: agent.startedAt, endedAt: Date.now() } : null,
        violate,
        round,
      );
      report.rounds = round;
      if (found.length > 0) {
        report.violations.push(...found);
        for (const v of found)
          report.violationsByInvariant[v.invariant] =
            (report.violationsByInvariant[v.invariant] ?? 0) + 1;
        // The rounds whose kills left a token this round found still live come first.
        const earlier = [...new Set(found.flatMap((v) => v.leftInRounds ?? []))]
          .filter((r) => r !== round)
          .flatMap((r) => [`(round ${r}, which left it:)`, ...(roundLogs.get(r) ?? [])]);
        report.logs[round] = [
          ...earlier,
          ...(earlier.length > 0 ? [`(round ${round}:)`] : []),
          ...log,
          ...found.map((v) => `VIOLATED ${v.invariant}: ${v.message}`),
        ];
        await resetWorld();
      } else roundLogs.set(round, log);
      options.progress?.(
        `round ${round}: ${finished.length} processes, ${killed.length} killed, ${found.length} violations, ${Date.now() - roundStart} ms`,
        log,
      );
    }
  } finally {
    await resetWorld().catch(() => undefined);
    for (const fake of fakes) await fake.stop();
    scratch.cleanup();
  }
  report.msPerRound = Math.round((Date.now() - started) / Math.max(1, report.rounds));
  return report;

  /** Everything the invariants look at, read once every process is gone. */
  async function observe(): Promise<World> {
    let state: StateData | null = null;
    let stateError: string | null = null;
    if (existsSync(stateFile)) {
      try {
        state = parseState(readFileSync(stateFile, 'utf8'), stateFile);
      } catch (error) {
        stateError = (error as Error).message;
      }
    }
    const instances: World['instances'] = [];
    for (const [i, fake] of fakes.entries()) {
      const record =
        state?.instances.find((r) => r.platformUrl.replace(/\/$/, '') === fake.url) ?? null;
      let secrets: InstanceSecrets | null = null;
      let secretsError: string | null = null;
      if (record) {
        try {
          secrets = await vault.read(record.id);
        } catch (error) {
          secretsError = (error as Error).message;
        }
      }
      instances.push({ index: i, fake, record, secrets, secretsError });
    }
    const files = {} as World['files'];
    for (const file of Object.keys(FILE_PATHS) as FileName[])
      files[file] = existsSync(path(file)) ? readFileSync(path(file), 'utf8') : null;
    return { state, stateError, instances, files };
  }

  async function checkInvariants(
    world: World,
    finished: Finished[],
    agentKill: { startedAt: number; endedAt: number } | null,
    violate: (invariant: Invariant, message: string, leftInRounds?: number[]) => void,
    round: number,
  ): Promise<void> {
    const name = (i: number): string => `instance ${'AB'[i]}`;
    const during = (token: TokenRecord, f: { startedAt: number; endedAt: number }): boolean =>
      token.issuedAt * 1000 >= f.startedAt - 1000 && token.issuedAt * 1000 <= f.endedAt + 1000;
    const refreshers = [
      ...finished.filter(
        (f) => f.killed && /^(refresh|token|configure|docker-credential-artikey)/.test(f.op.label),
      ),
      ...(agentKill ? [agentKill] : []),
    ];
    /**
     * A token a refresh issued to a process killed before it could store it: the documented
     * window. Its session is lost (or was logged out meanwhile); counted once, not a violation.
     */
    const killedLogins = finished.filter((f) => f.killed && f.op.args[0] === 'login');
    // Orphans of killed logins that are gone by now: revoked (swept) or expired.
    for (const [id, orphan] of loginOrphans)
      if (!liveArtikeyTokens(orphan.fake).some((t) => t.id === id)) loginOrphans.delete(id);
    const swept = sweptSoFar();
    report.loginOrphansSwept += swept - sweptCounted;
    sweptCounted = swept;
    /** A login or refresh of the instance that succeeded after the killed login was gone: it swept. */
    const sweptSince = (fake: FakeArtifactory, killedAt: number): boolean =>
      finished.some(
        (f) =>
          !f.killed &&
          f.code === 0 &&
          !f.op.noKeychain &&
          fakes[f.op.instance] === fake &&
          (f.op.args[0] === 'login' || f.op.args[0] === 'refresh') &&
          f.startedAt >= killedAt,
      );
    const windowOrphan = (fake: FakeArtifactory, token: TokenRecord): boolean => {
      // Excused once, excused until it expires: it stays live for rounds after the one that left it.
      if (counted.has(token.id) || lostSessions.has(token.id)) return true;
      // Issued to a refresh killed before it could store it: the refresh window, whatever a login
      // killed in the same round was replacing (nobody ever held it, so no sweep can know it).
      // A refresh killed after storing it leaves it known (caught up, then superseded) yet is
      // excused here too: that path is the one every killed login's replaced token takes, checked there.
      if (fake.tokens.issuedByRefresh(token) && refreshers.some((f) => during(token, f))) {
        counted.add(token.id);
        report.unavoidableLosses++;
        return true;
      }
      // The token a killed login created, or one it was replacing (killed after storing its own and
      // before revoking that one).
      const killer = killedLogins.find(
        (f) =>
          f.op.instance === fakes.indexOf(fake) &&
          ((during(token, f) && !fake.tokens.issuedByRefresh(token)) ||
            token.issuedAt * 1000 <= f.endedAt + 1000),
      );
      if (killer && !loginOrphans.has(token.id)) {
        // The server may create the token after the login is gone (its request was on the way):
        // only a sweep that began once it existed could find it.
        loginOrphans.set(token.id, {
          fake,
          killedAt: Math.max(killer.endedAt, token.issuedAt * 1000 + 1000),
          round,
        });
        report.loginWindowOrphans++;
      }
      const orphan = loginOrphans.get(token.id);
      // Excused only until a later login or refresh of its instance has had the chance to sweep it.
      return orphan !== undefined && !sweptSince(fake, orphan.killedAt);
    };
    const leftIn = (tokens: TokenRecord[]): number[] =>
      tokens.flatMap((t) => loginOrphans.get(t.id)?.round ?? []);
    const describeOrphan = (fake: FakeArtifactory, token: TokenRecord): string => {
      const login = finished.find((f) => f.killed && f.op.args[0] === 'login' && during(token, f));
      const orphan = loginOrphans.get(token.id);
      const left = orphan
        ? `, left in round ${orphan.round} by a login killed before it stored it or before it revoked the token it replaced, and still live after a later login or refresh of the instance succeeded (that one should have revoked it)`
        : '';
      return `${describe(token)}${fake.tokens.issuedByRefresh(token) ? ', from a refresh' : ''}${login ? `, created while "${login.op.label}" ran, which was killed` : ''}${left}`;
    };
    // 1. Every file parses.
    if (world.stateError) violate('files-parse', `state.json: ${world.stateError}`);
    for (const problem of parseProblems(world.files, (file) => path(file)))
      violate('files-parse', problem);

    // 2. Nothing the user wrote changed (a line Artikey replaces is back whenever it is not configured).
    for (const file of Object.keys(USER_FILES) as UserFile[]) {
      const text = world.files[file];
      if (text === null) {
        violate(
          'user-content-unchanged',
          `${FILE_PATHS[file]} is gone, with everything the user wrote in it`,
        );
        continue;
      }
      const replaceable = REPLACEABLE[file];
      const configured =
        replaceable &&
        world.instances.some((w) =>
          w.record?.targets.some((t) => t.kind === replaceable.kind && t.path === path(file)),
        );
      const expected = USER_FILES[file]
        .split('\n')
        .filter((line) => line !== '' && !(configured && line === replaceable?.line));
      const missing = missingInOrder(expected, text.split('\n'));
      if (missing !== null)
        violate(
          'user-content-unchanged',
          `${FILE_PATHS[file]} lost or changed the user's line ${JSON.stringify(missing)}; it now reads:\n${redactJwts(text)}`,
        );
    }

    const dockerHelpers = dockerHelperHosts(world.files.docker);
    for (const w of world.instances) {
      const record = w.record;
      // A session lost in the refresh window (this round or before): the server revoked the token
      // the refresh replaced, and Artikey learns it only from the next refresh ("log in again").
      const spent = w.secrets?.refreshToken
        ? w.fake.tokens.successorOf(w.secrets.refreshToken)
        : undefined;
      const lostInWindow =
        spent !== undefined &&
        (lostSessions.has(spent.id) || refreshers.some((f) => during(spent, f)));
      // A revoke or logout writes ahead that it is revoking the token, before asking the server.
      const marked =
        record?.loggingOut !== undefined ||
        record?.revocation.status === 'revoked' ||
        record?.revoking !== undefined;
      const current = w.secrets?.accessToken ?? null;
      // 3. Every token in a tool file is one Artikey recorded there, and the current one.
      for (const file of Object.keys(FILE_PATHS) as FileName[]) {
        const text = world.files[file];
        if (text === null) continue;
        for (const token of new Set(text.match(JWT) ?? [])) {
          const known = w.fake.tokens.find(token);
          if (!known) continue; // the other instance's
          const recorded = record?.targets.some(
            (t) => t.kind !== 'docker-helper' && t.path === path(file),
          );
          if (!recorded)
            violate(
              'no-forgotten-copy',
              `${FILE_PATHS[file]} holds a token of ${name(w.index)} (${describe(known)}) but ${record ? 'the state records no target of it in that file' : 'the instance is not in the state at all'}`,
            );
          else if (
            token !== current &&
            !marked &&
            !record?.targets.some((t) => t.path === path(file) && t.error !== null)
          )
            violate(
              'targets-hold-current-token',
              `${FILE_PATHS[file]} holds an old token of ${name(w.index)} (${describe(known)}), not the one in the keychain${current ? ` (${describe(w.fake.tokens.find(current))})` : ' (the keychain holds none)'}`,
            );
          if (known.revoked && !marked && !lostInWindow)
            violate(
              'no-revoked-token-in-files',
              `${FILE_PATHS[file]} holds a token of ${name(w.index)} the server revoked (${describe(known)}), and the state does not say so`,
            );
        }
      }
      const helperHost = dockerHelpers.includes(w.fake.host);
      const helperRecorded = record?.targets.some((t) => t.kind === 'docker-helper') === true;
      if (helperHost && !helperRecorded)
        violate(
          'no-forgotten-copy',
          `config.json sends ${w.fake.host} to docker-credential-artikey but the state records no Docker target of ${name(w.index)}`,
        );
      if (!record) {
        // 4. None left on the server after a completed logout.
        const live = liveArtikeyTokens(w.fake).filter((t) => !windowOrphan(w.fake, t));
        if (live.length > 0)
          violate(
            'server-tokens',
            `${name(w.index)} is logged out, but the server still has ${live.length} live Artikey token(s): ${live.map((t) => describeOrphan(w.fake, t)).join('; ')}`,
            leftIn(live),
          );
        continue;
      }
      const probed = bobProbes.some((p) => p.instance === w.index);
      const loggedOutMeanwhile = finished.some(
        (f) => f.op.instance === w.index && f.op.args[0] === 'logout' && !f.op.noKeychain,
      );
      if (record.username !== DEMO_USER.name && probed && !loggedOutMeanwhile)
        violate(
          'user-unchanged',
          `${name(w.index)} is now logged in as ${record.username}: a login as bob without --replace replaced alice (the only logout-free explanation)`,
        );
      if (record.loggingOut) continue; // half logged out: the next logout completes it (logout-integrity tests that)
      if (w.secretsError) {
        violate(
          'session-kept',
          `the keychain entry of ${name(w.index)} cannot be read: ${w.secretsError}`,
        );
        continue;
      }
      if (!w.secrets) {
        violate(
          'session-kept',
          `${name(w.index)} is in the state but the keychain holds no token for it`,
        );
        continue;
      }
      // 5. Every recorded target holds the current token (unless the state says its last write failed).
      for (const target of record.targets) {
        if (target.error !== null) continue;
        const text = existsSync(target.path) ? readFileSync(target.path, 'utf8') : null;
        const where = relative(scratch.home, target.path);
        if (target.kind === 'docker-helper') {
          if (!dockerHelpers.includes(w.fake.host))
            violate(
              'targets-hold-current-token',
              `the state records a Docker helper entry of ${name(w.index)} in ${where}, but config.json has none for ${w.fake.host}`,
            );
        } else if (text === null || !text.includes(w.secrets.accessToken)) {
          if (!marked)
            violate(
              'targets-hold-current-token',
              `the state records a ${target.kind} target of ${name(w.index)} in ${where}, but the file does not hold the current token${text === null ? ' (the file is gone)' : ''}`,
            );
        }
      }
      // 6. The server: at most one live Artikey token, the one the keychain holds; the session still refreshable.
      const held = w.fake.tokens.find(w.secrets.accessToken);
      const live = liveArtikeyTokens(w.fake);
      const lost =
        w.secrets.refreshToken !== undefined &&
        !w.fake.tokens.refreshable(w.secrets.refreshToken) &&
        !marked;
      const successor = w.secrets.refreshToken
        ? w.fake.tokens.successorOf(w.secrets.refreshToken)
        : undefined;
      if (lost && successor && lostSessions.has(successor.id)) continue; // lost in an earlier round, counted there
      if (lost && successor) {
        // The stored refresh token was spent: by a process killed before it stored the answer (the
        // documented window), or by a race that must not happen.
        const inWindow = (from: number, to: number): boolean =>
          successor.issuedAt * 1000 >= from - 1000 && successor.issuedAt * 1000 <= to + 1000;
        const killer =
          finished.find(
            (f) =>
              f.killed &&
              /^(refresh|token|configure|docker-credential-artikey)/.test(f.op.label) &&
              inWindow(f.startedAt, f.endedAt),
          )?.op.label ??
          (agentKill && inWindow(agentKill.startedAt, agentKill.endedAt) ? 'agent' : undefined);
        if (killer) {
          report.unavoidableLosses++;
          lostSessions.add(successor.id);
          const next = await refreshOf(w.fake);
          if (next.code !== 4 || !/log in again/i.test(next.stderr))
            violate(
              'session-kept',
              `${name(w.index)} lost its session when "${killer}" was killed after the server spent the refresh token; the next \`artikey refresh\` should say "log in again" with exit 4 but exited ${next.code}: ${next.stderr.trim().slice(0, 300)}`,
            );
          continue;
        }
        violate(
          'session-kept',
          `${name(w.index)} lost its session with no process killed in the window: the stored refresh token was spent, for ${describe(successor)}, and the keychain holds ${describe(held)}`,
        );
        continue;
      }
      if (lost) {
        violate(
          'session-kept',
          `${name(w.index)}: the keychain's refresh token no longer works (never spent, so revoked with ${describe(held)}) and the state does not say the token was revoked`,
        );
        continue;
      }
      const others = live.filter(
        (t) => t.jwt !== w.secrets?.accessToken && !windowOrphan(w.fake, t),
      );
      if (others.length > 0)
        violate(
          'server-tokens',
          `${name(w.index)}: the server has ${others.length} live Artikey token(s) besides the one the keychain holds (${describe(held)}): ${others.map((t) => describeOrphan(w.fake, t)).join('; ')}`,
          leftIn(others),
        );
      // 7. A token Artikey knows is dead is never handed out (item 8).
      // Artikey knows it is dead when the state says revoked or "log in again".
      if (
        held &&
        (record.revocation.status === 'revoked' || record.refreshError?.code === 'login-required')
      ) {
        const next = await tokenOf(w.fake);
        const printed = next.stdout.trim();
        if (next.code === 0 && !w.fake.tokens.lookup(printed).ok)
          violate(
            'no-dead-token-handed-out',
            `\`artikey token\` printed a token of ${name(w.index)} the server refuses (${describe(w.fake.tokens.find(printed))}) with exit 0`,
          );
      }
    }
    // 8. Backups never keep a token Artikey wrote (there was no migration to back up for, item 5).
    for (const backup of backups()) {
      const text = readFileSync(backup, 'utf8');
      const mode = statSync(backup).mode & 0o777;
      if (JWT.test(text))
        violate(
          'no-secret-in-backups',
          `${relative(scratch.home, backup)} (mode ${mode.toString(8)}) keeps a token Artikey wrote`,
        );
      JWT.lastIndex = 0;
    }
  }
}

interface World {
  state: StateData | null;
  stateError: string | null;
  instances: {
    index: number;
    fake: FakeArtifactory;
    record: InstanceRecord | null;
    secrets: InstanceSecrets | null;
    secretsError: string | null;
  }[];
  files: Record<FileName, string | null>;
}

/** Tokens Artikey asked for that still work, or can still be refreshed into one that does. */
function liveArtikeyTokens(fake: FakeArtifactory): TokenRecord[] {
  const now = fake.clock.seconds();
  return fake.tokens
    .all()
    .filter(
      (t) =>
        t.description?.startsWith('Artikey') === true &&
        !t.revoked &&
        (t.expiresAt === null ||
          t.expiresAt > now ||
          (t.refreshToken !== undefined && fake.tokens.refreshable(t.refreshToken))),
    );
}

const describe = (token: TokenRecord | undefined): string =>
  token
    ? `token ${token.id.slice(0, 8)}, issued ${new Date(token.issuedAt * 1000).toISOString().slice(11, 19)}${token.revoked ? ', revoked' : ''}`
    : 'a token the server does not know';

const redactJwts = (text: string): string => text.replace(JWT, '<token>');

/** The first expected line not found in order in `lines`, or null when all are there. */
function missingInOrder(expected: string[], lines: string[]): string | null {
  let at = 0;
  for (const line of expected) {
    const found = lines.indexOf(line, at);
    if (found === -1) return line;
    at = found + 1;
  }
  return null;
}

function dockerHelperHosts(text: string | null): string[] {
  if (text === null) return [];
  try {
    const parsed = JSON.parse(text) as { credHelpers?: Record<string, string> };
    return Object.entries(parsed.credHelpers ?? {})
      .filter(([, helper]) => helper === 'artikey')
      .map(([host]) => host);
  } catch {
    return [];
  }
}

/**
 * Each tool file read by the parser its tool uses or the closest one at hand: JSON for Docker,
 * Python's configparser (pip's own), netrc and ElementTree for pip.conf, .netrc and settings.xml,
 * and the line grammar of .npmrc and gradle.properties.
 */
function parseProblems(
  files: Record<FileName, string | null>,
  path: (file: FileName) => string,
): string[] {
  const problems: string[] = [];
  if (files.docker !== null) {
    try {
      JSON.parse(files.docker);
    } catch (error) {
      problems.push(`.docker/config.json is not JSON: ${(error as Error).message}`);
    }
  }
  const lineGrammar = (file: FileName, ok: (line: string) => boolean): void => {
    const text = files[file];
    if (text === null) return;
    for (const line of text.split('\n'))
      if (line.trim() !== '' && !/^\s*[#;!]/.test(line) && !ok(line))
        problems.push(
          `${FILE_PATHS[file]} has a line its tool cannot read: ${JSON.stringify(redactJwts(line))}`,
        );
  };
  for (const npmrc of ['npmrc', 'projectNpmrc'] as const)
    lineGrammar(npmrc, (line) => /^\s*[^=\s][^=]*=/.test(line) || /^\s*\[[^\]]+\]\s*$/.test(line));
  lineGrammar(
    'gradle',
    (line) => /^\s*[^=:\s]+\s*[=:]/.test(line) && !/(^|[^\\])(\\\\)*\\$/.test(line),
  );
  const python = `
import configparser, json, netrc, sys, xml.etree.ElementTree as ET
paths = json.load(sys.stdin)
problems = []
def check(what, action):
    try:
        action()
    except Exception as error:
        problems.append(f"{what}: {type(error).__name__}: {error}")
if paths.get("pip"):
    check("pip.conf", lambda: configparser.ConfigParser(interpolation=None).read(paths["pip"]))
if paths.get("netrc"):
    check(".netrc", lambda: netrc.netrc(paths["netrc"]))
if paths.get("maven"):
    check("settings.xml", lambda: ET.parse(paths["maven"]))
print(json.dumps(problems))
`;
  const present = (file: FileName): string | null => (files[file] === null ? null : path(file));
  const result = spawnSync('python3', ['-c', python], {
    input: JSON.stringify({
      pip: present('pip'),
      netrc: present('netrc'),
      maven: present('maven'),
    }),
    encoding: 'utf8',
  });
  if (result.status !== 0) problems.push(`the file checker failed: ${result.stderr.slice(0, 300)}`);
  else problems.push(...(JSON.parse(result.stdout) as string[]).map(redactJwts));
  return problems;
}

/** The failure text: seed, and per broken round its operation log and the invariants it broke. */
export function describeFailures(report: LifecycleReport, limit = 3): string {
  const rounds = Object.keys(report.logs).map(Number).slice(0, limit);
  return [
    `lifecycle seed ${report.seed} (replay: LIFECYCLE_SEED=${report.seed}): ${report.violations.length} violation(s) in ${Object.keys(report.logs).length} of ${report.rounds} rounds; by invariant: ${JSON.stringify(report.violationsByInvariant)}`,
    ...rounds.map((round) => [`--- round ${round}:`, ...(report.logs[round] ?? [])].join('\n')),
  ].join('\n');
}
