import { homedir } from 'node:os';
import { dirname, resolve } from 'node:path';
import { agentAnswers, agentSocketPath } from '../core/agent-socket.js';
import type { Artikey, InstanceDetail, InstanceView, LoginOutcome, LoginRequest } from '../core/artikey.js';
import { errorCode } from '../core/errors.js';
import { HttpError } from '../core/http.js';
import { describeLogout } from '../core/logout-report.js';
import { parsePlatformAddress } from '../core/instances.js';
import { plainHttpWarning } from '../core/plain-http.js';
import { classifySecret } from '../core/tokens.js';
import { redact } from '../core/logger.js';
import { withBrowserPrompt } from './browser.js';
import { describeTarget, kindsOf, parseTool, targetSpec } from '../core/targets/tool-request.js';
import { writesToken } from '../core/targets/target-kinds.js';
import { loginsAhead } from '../core/targets/podman-logins.js';
import { terraformLoginsAhead } from '../core/targets/terraform-logins.js';
import { migrateCommand, scanCommand } from './scan-commands.js';
import { agentCommand } from './agent.js';
import { setupCommand } from './setup-command.js';
import type { CliIo } from './cli-io.js';
import { backupsCommand } from './backup-commands.js';
import { leadOf } from '../core/refresh-scheduler.js';
import { ago, expiryPhrase, paint, parseDuration, scopeLabel, shellWord, table } from './format.js';
import { ask, readAll } from './prompt.js';
import { parseCommandLine, secretOnCommandLine, unknownCommand, wantsJson, type CommandLine } from './args.js';
import { argumentCount, findCommand, type CommandSpec, type OptionValues } from './commands.js';
import { reportFailure, UsageError } from './failure.js';
import { commandHelp, helpData, overview } from './help.js';
import { decideRepository, describeRepository } from './repository-choice.js';

export interface CliContext {
  version: string;
  /** Built lazily: `--help` must not touch the keychain. Long-running commands keep it in a child process. */
  artikey: (use?: 'long-running') => Artikey;
  /** Where the state file is; the agent's socket lives beside it. */
  stateFile: string;
}

export async function runCli(argv: string[], io: CliIo, context: CliContext): Promise<number> {
  let json = wantsJson(argv);
  // Known before parsing, so that a wrong option can point to its command's help.
  const command = findCommand(argv.find((arg) => !arg.startsWith('-')) ?? '')?.name;
  try {
    const line = parseCommandLine(argv);
    json = line.json;
    return await dispatch(line, io, context);
  } catch (error) {
    const code = errorCode(error);
    const message = redact(error instanceof Error ? error.message : String(error));
    const usage = (code === 'usage' || code === 'invalid-option') && !message.includes('--help');
    const hint = usage ? `; see artikey ${command ? `${command} ` : ''}--help` : '';
    // The core names the remedy as the window shows it; here it is an option.
    const caFile = error instanceof HttpError && error.untrustedCertificate ? ' Give its PEM file with --ca-file: artikey login <url> --ca-file <file.pem>' : '';
    return reportFailure(io, json, code, [`${message}${hint}${caFile} [${code}]`]);
  }
}

async function dispatch(line: CommandLine, io: CliIo, context: CliContext): Promise<number> {
  const { values, positionals: rest, json } = line;
  const out = (text: string): void => void io.stdout.write(text.endsWith('\n') ? text : `${text}\n`);
  const colour = !json && io.stdout.isTTY === true && io.env['NO_COLOR'] === undefined;
  if (values['version']) return out(json ? JSON.stringify({ version: context.version }) : context.version), 0;
  const spec = line.command;
  if (spec === null && !values['help'] && json) throw new UsageError('no command given; see artikey --help');
  if (spec === null || values['help'] || spec.name === 'help') {
    const topic = spec?.name === 'help' && !values['help'] ? helpTopic(rest) : spec;
    out(json ? JSON.stringify(helpData(topic)) : topic ? commandHelp(topic) : overview());
    return spec === null && !values['help'] ? 2 : 0;
  }
  const command = spec.name;
  const { max } = argumentCount(spec);
  if (rest.length > max) {
    // `login --token <value> <url>`: the extra word is most likely the secret.
    if (command === 'login') throw secretOnCommandLine(values['password'] || values['password-stdin'] ? 'password' : 'token', 'login takes the URL only');
    throw new UsageError(`${command} takes ${spec.arguments.join(' ') || 'no arguments'}, and ${rest.length} ${rest.length === 1 ? 'was' : 'were'} given; see artikey ${command} --help`);
  }
  const need = (count: number, what: string): string[] => {
    if (rest.length < count) throw new UsageError(`${command} needs ${what}; see artikey ${command} --help`);
    return rest;
  };

  switch (command) {
    case 'login': {
      const [url = ''] = need(1, 'the URL of your Artifactory, e.g. artikey login acme.jfrog.io');
      if (classifySecret(url) !== 'unknown')
        throw secretOnCommandLine(values.password || values['password-stdin'] ? 'password' : 'token', 'login takes the URL only');
      const outcome = await login(url, values, io, context.artikey());
      if (json) out(JSON.stringify(outcome));
      else {
        const view = outcome.instance;
        out(`Logged in to ${view.name} as ${view.username ?? 'unknown user'}; token ${expiryPhrase(view)}${view.token.refreshable ? ', refreshed automatically' : ', not refreshable'}.`);
        for (const note of outcome.notes) io.stderr.write(`note: ${note}\n`);
      }
      return 0;
    }
    case 'logout': {
      const [reference = ''] = need(1, 'an instance');
      const result = await context.artikey().logout(reference, { keepServerToken: values['keep-server-token'] === true });
      const { done, problems } = describeLogout(result, `run artikey logout ${reference} again`);
      if (json) out(JSON.stringify(result));
      else for (const line of done) out(line);
      if (result.complete) return 0;
      const failure = result.secretsFailure ?? result.targetsFailed[0];
      return reportFailure(io, json, failure?.code ?? 'logout-incomplete', problems);
    }
    case 'list': {
      const views = await context.artikey().list();
      if (json) return out(JSON.stringify(views)), 0;
      if (views.length === 0) return out('No instances yet. Log in with: artikey login <url>'), 0;
      out(
        table([
          ['INSTANCE', 'USER', 'STATUS', 'EXPIRES', 'URL'],
          ...views.map((v) => [v.name, v.username ?? '-', v.logoutIncomplete ? 'logout incomplete' : paint(v.status, colour), expiryPhrase(v).replace(/^expires /, ''), v.platformUrl]),
        ]),
      );
      for (const v of views) if (v.logoutIncomplete) io.stderr.write(`artikey: ${v.name}: logout incomplete: run artikey logout ${shellWord(v.name)} again\n`);
      for (const v of views) if (v.refreshError?.code === 'login-required') io.stderr.write(`artikey: ${v.name}: ${v.refreshError.message}\n`);
      for (const v of views) if (v.plainHttpWarning) out(`Warning: ${v.plainHttpWarning}`);
      for (const v of views) if (v.lifetimeNote) out(`Note: ${v.name}: ${v.lifetimeNote}`);
      return 0;
    }
    case 'status': {
      const [reference = ''] = need(1, 'an instance');
      const artikey = context.artikey();
      // Half logged out: its secrets may be gone already, and the only useful answer is how to finish.
      const known = await artikey.instance(reference);
      if (known.logoutIncomplete) return reportFailure(io, json, 'logout-incomplete', [`${known.name}: logout incomplete: run artikey logout ${shellWord(known.name)} again`]);
      const detail = await artikey.inspect(reference);
      const notices = (await artikey.notices()).due.filter((n) => n.instanceId === detail.id);
      const backups = (await artikey.backups({ platform: io.platform, env: io.env, home: homedir() })).filter((b) => b.holdsLiveSecret).length;
      const dead = detail.status === 'revoked' || detail.status === 'expired';
      const next = plannedRefresh(detail);
      const refresherRunning = next !== null && (await refresherRuns(context.stateFile, io.platform));
      // A dead token is the more useful news; it needs no server to tell.
      const unreachable = dead || !detail.unreachable ? null : `could not reach ${detail.name}: ${detail.unreachable.reason}; what the server says of the token is unknown`;
      if (json) {
        out(JSON.stringify({ ...detail, nextRefreshAt: next, refresherRunning, notices, backupsHoldingSecrets: backups }));
        if (unreachable) return reportFailure(io, json, 'unreachable', [unreachable]);
        return dead ? reportFailure(io, json, `token-${detail.status}`, [`the token of ${detail.name} is ${detail.status}; log in again: artikey login ${detail.platformUrl}`]) : 0;
      }
      out(describeInstance(detail, colour, detail.serverVersion, detail.clockSkewSeconds));
      if (next !== null) out(`Next refresh:  ${nextRefreshPhrase(next, refresherRunning)}`);
      for (const notice of notices) out(`Notice:        ${notice.title}: ${notice.body}`);
      if (backups > 0) out(`Backups:       ${backups} backup${backups === 1 ? '' : 's'} hold${backups === 1 ? 's' : ''} credentials: artikey backups`);
      if (unreachable) return reportFailure(io, json, 'unreachable', [`${unreachable} [unreachable]`]);
      return dead ? 1 : 0;
    }
    case 'refresh': {
      const [reference = ''] = need(1, 'an instance');
      const view = await context.artikey().refresh(reference);
      // A refresh that came back without a refresh token spent the last one: say so, loudly.
      const last = !view.token.refreshable;
      if (json) out(JSON.stringify(view));
      else out(last ? `${view.name} has a new token that ${expiryPhrase(view)}, but it cannot be refreshed again.` : `Refreshed ${view.name}; the new token ${expiryPhrase(view)}.`);
      if (last) io.stderr.write(`artikey: warning: the server sent no new refresh token, so ${view.name} can no longer refresh its token; ${loginAgain(view)}: artikey login ${view.platformUrl}\n`);
      return 0;
    }
    case 'revoke': {
      const [reference = ''] = need(1, 'an instance');
      const result = await context.artikey().revoke(reference, values['token-id']);
      if (json) out(JSON.stringify(result));
      else out(result.revoked ? `Revoked token ${result.tokenId}.` : `Token ${result.tokenId} was already revoked or unknown to the server.`);
      return 0;
    }
    case 'token': {
      const [reference = ''] = need(1, 'an instance');
      const token = await context.artikey().accessToken(reference);
      if (json) out(JSON.stringify({ accessToken: token }));
      else out(token);
      return 0;
    }
    case 'rename': {
      const [reference = '', ...name] = need(2, 'an instance and a new name');
      const view = await context.artikey().rename(reference, name.join(' '));
      if (json) out(JSON.stringify(view));
      else out(`Renamed to ${view.name}.`);
      return 0;
    }
    case 'configure': {
      const [toolName = '', reference = ''] = need(2, 'a tool and an instance, e.g. configure npm acme.jfrog.io --repo npm-virtual');
      const tool = parseTool(toolName);
      const artikey = context.artikey();
      const instance = await artikey.instance(reference);
      const environment = { platform: io.platform, env: io.env, home: homedir() };
      const given = { repo: typeof values.repo === 'string' ? values.repo : undefined, file: values.file, hosts: values.host, auths: values.auths, scope: values.scope, setRegistry: values['set-registry'], serverId: values['server-id'], mirror: values.mirror, prefix: values.prefix, section: values.section, registryName: values['registry-name'], name: values.name, noSumDb: values.nosumdb, goPrivate: values.private, sourceName: values.name, protocol: values.protocol, makeDefault: values.default, remoteName: values.name };
      const repository = await decideRepository(artikey, instance, tool, given, io, environment);
      const spec = targetSpec(tool, instance, repository.options, environment);
      const result = await artikey.configureTool(instance.id, spec, { replaceReferences: values['replace-references'] === true });
      await repository.afterConfigured();
      const chosen = describeRepository(repository.key, spec);
      if (json) out(JSON.stringify(chosen ? { ...result, repository: chosen.json } : result));
      else {
        out(`${result.changed ? 'Configured' : 'Already configured'} ${describeTarget(result.target)}.${writesToken(result.target) ? ' Artikey rewrites it on every refresh and removes it on logout.' : ''}`);
        if (chosen?.text) out(chosen.text);
        // Helm reads OCI registry credentials from Docker's config (or $HELM_REGISTRY_CONFIG), not from repositories.yaml.
        if (result.target.kind === 'helm') out(`Helm's OCI registries (helm pull oci://${new URL(instance.platformUrl).host}/…) use Docker's credential helper instead: artikey configure docker ${instance.name}`);
      }
      if (result.target.kind === 'podman') {
        const { found } = await artikey.scan(environment);
        for (const note of loginsAhead(result.target, found, environment, instance.name)) io.stderr.write(`note: ${note}\n`);
      }
      if (result.target.kind === 'terraform') {
        const { found } = await artikey.scan(environment);
        for (const note of terraformLoginsAhead(result.target, found, environment)) io.stderr.write(`note: ${note}\n`);
      }
      return 0;
    }
    case 'unconfigure': {
      const [toolName = '', reference = ''] = need(2, 'a tool and an instance, e.g. unconfigure npm acme.jfrog.io');
      const kinds = kindsOf(parseTool(toolName));
      const file = values.file;
      const result = await context.artikey().unconfigureTool(reference, (t) => kinds.includes(t.kind) && (file === undefined || t.path === resolve(file)));
      if (json) out(JSON.stringify(result));
      else {
        for (const { target } of result.removed) out(`Removed ${describeTarget(target)}.`);
        if (result.removed.length === 0 && result.failed.length === 0) out(`Artikey has not configured ${toolName} for ${reference}${file ? ` in ${file}` : ''}.`);
      }
      const [failed] = result.failed;
      if (!failed) return 0;
      return reportFailure(io, json, failed.code, result.failed.map((f) => `could not clean ${f.target.path}: ${f.message} [${f.code}]`));
    }
    case 'setup': {
      const [reference = ''] = need(1, 'an instance, e.g. setup acme.jfrog.io');
      return setupCommand(context.artikey(), reference, { platform: io.platform, env: io.env, home: homedir() }, io, {
        json,
        tools: values.tools,
        allDetected: values['all-detected'] === true,
        repos: typeof values.repo === 'string' ? [values.repo] : (values.repo ?? []),
        yes: values.yes === true,
        dryRun: values['dry-run'] === true,
      });
    }
    case 'scan':
      return scanCommand(context.artikey(), { platform: io.platform, env: io.env, home: homedir() }, io, { json, check: values.check === true });
    case 'migrate': {
      const [reference = ''] = need(1, 'an instance, e.g. migrate acme.jfrog.io');
      return migrateCommand(context.artikey(), reference, { platform: io.platform, env: io.env, home: homedir() }, io, { json, yes: values.yes === true, browser: !values['no-browser'] });
    }
    case 'backups':
      return backupsCommand(context.artikey(), { platform: io.platform, env: io.env, home: homedir() }, io, {
        json,
        check: values.check === true,
        yes: values.yes === true,
        delete: values.delete ?? [],
        deleteDead: values['delete-dead'] === true,
        autoDelete: values['auto-delete'],
      });
    case 'agent': {
      const controller = new AbortController();
      const stop = (): void => controller.abort();
      process.once('SIGINT', stop);
      process.once('SIGTERM', stop);
      return agentCommand(context.artikey('long-running'), io, controller.signal, context.stateFile, json);
    }
    case 'doctor':
      return doctor(context.artikey(), io, json, colour);
    default:
      return command satisfies never;
  }
}

/** What `artikey help [<command>]` is about: null for the overview. */
function helpTopic(words: string[]): CommandSpec | null {
  const [word] = words;
  if (word === undefined) return null;
  const spec = findCommand(word);
  if (!spec) throw unknownCommand(word);
  return spec;
}

async function login(url: string, values: OptionValues, io: CliIo, artikey: Artikey): Promise<LoginOutcome> {
  const common = {
    url,
    ...(typeof values['name'] === 'string' ? { name: values['name'] } : {}),
    // Stored absolute: a relative path would point elsewhere when the agent or Docker refreshes.
    ...(typeof values['ca-file'] === 'string' ? { caFile: resolve(values['ca-file']) } : {}),
    ...lifetime(values['lifetime']),
    ...(values['replace'] === true ? { replaceUser: true } : {}),
  };
  const user = typeof values['user'] === 'string' ? values['user'] : undefined;
  const interactive = io.stdin.isTTY === true;
  if (values['token']) {
    const token = interactive ? await ask('Token (input hidden): ', io.stdin, io.stderr, true) : await readAll(io.stdin);
    if (token.trim() === '') throw new UsageError('no token arrived: --token reads it from stdin. Pipe it: printf %s "$TOKEN" | artikey login <url> --token');
    if (values['revoke-api-key'] && classifySecret(token) === 'api-key') {
      return artikey.loginWithApiKey({ ...common, apiKey: token, ...(user ? { username: user } : {}), revokeApiKey: true });
    }
    return artikey.loginWithToken({ ...common, token, ...(user ? { username: user } : {}) });
  }
  if (values['password'] || values['password-stdin']) {
    // Only a person at a terminal can be asked; a script gets the error and its exit code.
    const askable = interactive && !values['password-stdin'];
    const advice = askable ? await artikey.loginAdvice(url) : null;
    if (advice?.reason) {
      if (await offerBrowser(`${advice.reason} (it refused the last password login)`, io)) return browserLogin(common, values, io, artikey);
    }
    const username = user ?? (interactive ? await ask('User name: ', io.stdin, io.stderr) : undefined);
    if (!username) throw new UsageError('--password needs --user <name> when stdin is not a terminal');
    warnIfPlainHttp(url, io);
    const password = values['password-stdin'] || !interactive ? await readAll(io.stdin) : await ask(`Password for ${username} (input hidden): `, io.stdin, io.stderr, true);
    try {
      return await artikey.loginWithPassword({ ...common, username, password });
    } catch (error) {
      // Asked once already and declined: the refusal is the answer.
      if (!askable || advice?.reason || errorCode(error) !== 'basic-token-creation-disabled') throw error;
      const reason = (await artikey.loginAdvice(url)).reason;
      if (!reason || !(await offerBrowser(reason, io))) throw error;
      return browserLogin(common, values, io, artikey);
    }
  }
  return browserLogin(common, values, io, artikey);
}

/** Says why a password will not do, and asks whether to log in through the browser instead (yes by default). */
async function offerBrowser(reason: string, io: CliIo): Promise<boolean> {
  io.stderr.write(`artikey: ${reason}.\n`);
  return !/^\s*n/i.test(await ask('Log in through the browser instead? [Y/n] ', io.stdin, io.stderr));
}

function browserLogin(common: LoginRequest, values: OptionValues, io: CliIo, artikey: Artikey): Promise<LoginOutcome> {
  return withBrowserPrompt(io, !values['no-browser'], (hooks) => artikey.loginWithBrowser({ ...common, ...hooks }));
}

/** Said before the password is asked for, so the person can stop before it is sent. */
function warnIfPlainHttp(url: string, io: CliIo): void {
  const parsed = parsePlatformAddress(url);
  const host = parsed.ok && plainHttpWarning(parsed.address.platformUrl) !== null ? new URL(parsed.address.platformUrl).host : null;
  if (host) io.stderr.write(`artikey: warning: your password goes to ${host} over plain http://, unencrypted: anyone on the way can read it.\n`);
}

function lifetime(value: string | undefined): { lifetimeSeconds?: number } {
  if (typeof value !== 'string') return {};
  const seconds = parseDuration(value);
  if (seconds === undefined) throw new UsageError(`--lifetime "${value}" is not a duration; use e.g. 90m, 12h, 7d`);
  return { lifetimeSeconds: seconds };
}

/**
 * When the engine will refresh this token (before jitter), on our clock (the token's times are
 * the server's); null when it will not.
 */
function plannedRefresh(view: InstanceView): number | null {
  const { refreshable, expiresAt } = view.token;
  if (!refreshable || expiresAt === null || view.refreshError?.code === 'login-required') return null;
  return Math.floor(expiresAt - leadOf(view) - view.clockOffsetSeconds);
}

/** Whether the app or an agent is running to refresh tokens: it answers on the agent socket. */
function refresherRuns(stateFile: string, platform: NodeJS.Platform): Promise<boolean> {
  return agentAnswers(agentSocketPath(dirname(stateFile), platform));
}

/**
 * Only a running Artikey refreshes on time: with none running, a time (perhaps past by now)
 * would promise what nobody does.
 */
function nextRefreshPhrase(at: number, running: boolean): string {
  const onDemand = 'Docker and `artikey token` refresh on demand';
  const when = new Date(at * 1000).toISOString();
  const due = at <= Date.now() / 1000;
  if (running) return due ? `now: it is due, and the running Artikey refreshes it (${onDemand})` : `around ${when}, by the running Artikey (${onDemand})`;
  const runs = 'when Artikey or `artikey agent` runs';
  return due ? `${runs}: it was due at ${when}, and neither runs now (${onDemand})` : `around ${when}, ${runs}; neither runs now (${onDemand})`;
}

/** "log in again before 2026-01-31T14:00:00.000Z", or just "log in again" for a token that does not expire. */
function loginAgain(view: InstanceView): string {
  return view.token.expiresAt === null ? 'log in again to get a refreshable token' : `log in again before ${new Date(view.token.expiresAt * 1000).toISOString()}`;
}

function describeInstance(view: InstanceDetail, colour: boolean, serverVersion: string | null, skew: number | null): string {
  const t = view.token;
  const when = (seconds: number | null): string => (seconds === null ? 'never' : `${new Date(seconds * 1000).toISOString()}`);
  const rows: [string, string][] = [
    ['Instance', view.name],
    ['URL', view.platformUrl],
    ['User', view.username ?? '-'],
    ['Status', view.unreachable && view.status === 'unknown' ? `unreachable: ${view.unreachable.reason}` : paint(view.status, colour)],
    ['Expires', `${when(t.expiresAt)} (${expiryPhrase(view)})`],
    ['Issued', when(t.issuedAt)],
    ['Token id', t.tokenId ?? '-'],
    ['Kind', t.kind],
    ['Scopes', t.scopes.map(scopeLabel).join('; ') || '-'],
    ['Audience', t.audience.join(', ') || '-'],
    ['Issuer', t.issuer ?? '-'],
    ['Refreshable', t.refreshable ? 'yes' : t.expiresAt === null ? 'no' : `no — ${loginAgain(view)}`],
    ['Revocable', t.revocable === null ? 'unknown' : t.revocable ? 'yes' : 'no (shorter than the server revocation threshold)'],
    ['Signature', t.signature === 'verified' ? 'verified against the instance root certificate' : t.signature === 'invalid' ? 'INVALID' : 'not checked (root certificate needs admin rights)'],
    ['On the server', `${view.revocation.status}${view.revocation.checkedAt ? ` (checked ${ago(Math.floor(Date.now() / 1000) - view.revocation.checkedAt)})` : ''}`],
    ['Login method', view.loginMethod],
  ];
  if (view.plainHttpWarning) rows.push(['Warning', view.plainHttpWarning]);
  if (view.lifetimeNote) rows.push(['Lifetime', view.lifetimeNote]);
  if (serverVersion) rows.push(['Server', `Artifactory ${serverVersion}`]);
  if (skew !== null) rows.push(['Clock skew', `${skew} s${Math.abs(skew) > 60 ? ' (fix your system clock: tokens may look expired too early or late)' : ''}`]);
  if (view.refreshError) rows.push(['Refresh', `failing: ${view.refreshError.message}`]);
  for (const target of view.targets) rows.push(['Configured', `${describeTarget(target)}${target.error ? ` — last update failed: ${target.error.message}` : ''}`]);
  return table(rows.map(([k, v]) => [`${k}:`, v]));
}

async function doctor(artikey: Artikey, io: CliIo, json: boolean, colour: boolean): Promise<number> {
  const checks: { check: string; ok: boolean; detail: string }[] = [];
  let keychainWorks = true;
  try {
    await artikey.checkKeychain();
    checks.push({ check: 'keychain', ok: true, detail: artikey.keychain });
  } catch (error) {
    keychainWorks = false;
    checks.push({ check: 'keychain', ok: false, detail: redact((error as Error).message) });
  }
  for (const view of await artikey.list().catch(() => [])) {
    // Each instance's check reads its token: the keychain's failure, said once above, is not repeated.
    if (!keychainWorks) {
      checks.push({ check: view.name, ok: false, detail: 'not checked: its token is in the keychain (see above)' });
      continue;
    }
    try {
      const detail = await artikey.inspect(view.id);
      const skew = detail.clockSkewSeconds;
      const ok = detail.serverVersion !== null && (skew === null || Math.abs(skew) <= 60);
      checks.push({
        check: view.name,
        ok,
        detail: `Artifactory ${detail.serverVersion ?? `unreachable: ${detail.unreachable?.reason ?? 'no answer'}`}; token ${detail.status}; clock skew ${skew === null ? 'unknown' : `${skew} s`}`,
      });
    } catch (error) {
      checks.push({ check: view.name, ok: false, detail: redact((error as Error).message) });
    }
  }
  if (json) io.stdout.write(`${JSON.stringify(checks)}\n`);
  else io.stdout.write(`${table(checks.map((c) => [mark(c.ok, colour), c.check, c.detail]))}\n`);
  const failed = checks.filter((c) => !c.ok);
  // The table said it already; a script reading --json gets the failure as an error too.
  if (json && failed.length > 0) return reportFailure(io, json, 'check-failed', failed.map((c) => `${c.check}: ${c.detail}.`));
  return failed.length > 0 ? 1 : 0;
}

const mark = (ok: boolean, colour: boolean): string => (colour ? `\u001b[${ok ? 32 : 31}m${ok ? 'ok' : 'FAIL'}\u001b[0m` : ok ? 'ok' : 'FAIL');
