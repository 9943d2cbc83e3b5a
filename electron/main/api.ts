import { checkCaFile, checkProxy, type Artikey } from '../core/artikey.js';
import { requireBackups } from '../core/backups/keeper.js';
import { ArtikeyError } from '../core/errors.js';
import { describeLogout } from '../core/logout-report.js';
import { REPOSITORY_PACKAGE_TYPE, repositoryUsage, writtenUrl } from '../core/repositories.js';
import type { Logger } from '../core/logger.js';
import type { Environment } from '../core/paths.js';
import {
  describeTarget,
  targetSpec,
  type ConfigureOptions,
  type Tool,
} from '../core/targets/tool-request.js';
import type {
  CliToolsStatus,
  EventName,
  Events,
  MethodName,
  Methods,
  SettingsView,
} from '../ipc/contract.js';
import type { BrowserLogins } from './browser-login.js';
import type { ClipboardGuard } from './clipboard-guard.js';
import { DeclinedError, type Confirmation, type Dialogs } from './dialogs.js';
import { trustQuestions } from './trust-questions.js';
import {
  activityEntry,
  backupEntry,
  foundCredential,
  instanceDetails,
  instanceSummary,
  migrationStep,
  noticeSummary,
  serverToken,
  toolEntry,
  toolFailure,
  toolPreview,
} from './views.js';
import { isAllowedExternalUrl } from './web-policy.js';

/** What the API needs from the desktop: Electron in the app, plain objects in tests. */
export interface Desktop {
  info: { name: string; version: string; packaged: boolean; platform: NodeJS.Platform };
  /** Opens an instance's page in the system browser (checked against `instanceUrls`). */
  openInBrowser(url: string, instanceUrls: string[]): Promise<void>;
  launchAtLogin: { get(): Promise<boolean | null>; set(enabled: boolean): Promise<void> };
  cliTools: { status(): Promise<CliToolsStatus>; install(): Promise<CliToolsStatus> };
}

export interface ApiContext {
  artikey: Artikey;
  environment: Environment;
  desktop: Desktop;
  /** Asks the person before anything that widens trust: reveals, CA bundles, proxies. */
  dialogs: Dialogs;
  clipboard: ClipboardGuard;
  browserLogins: BrowserLogins;
  /** When the background engine refreshes each instance next (seconds since the epoch). */
  nextRefreshes: () => ReadonlyMap<string, number>;
  logger: Logger;
}

export type Handlers = {
  [N in MethodName]: (...args: Methods[N]['args']) => Promise<Methods[N]['result']>;
};

export type Emit = <E extends EventName>(event: E, payload: Events[E]) => void;

/**
 * The core's refusal to log out without revoking names the CLI's flag; the window offers the same
 * choice as a button, so it says that instead.
 */
function inWindowWords(error: unknown): unknown {
  if (!(error instanceof ArtikeyError) || error.code !== 'token-not-revoked') return error;
  const message = error.message.replace(
    /log out on this machine only with: artikey logout .+? --keep-server-token/,
    'choose “Log out on this machine only”',
  );
  return new ArtikeyError(error.code, message);
}

/**
 * Every method of the IPC contract, implemented over the core. The arguments have been parsed
 * with the contract's schemas before they arrive here (see dispatcher.ts); every value leaving
 * is built by views.ts, so no secret leaves except through `token.reveal`.
 */
/** A key no repository has, put where the key goes to find what surrounds it in the URL. */
const URL_PLACEHOLDER = 'artikey-repository-key';

export function createHandlers(context: ApiContext): Handlers {
  const { artikey, environment, desktop, logger } = context;
  const next = (id: string): number | null => context.nextRefreshes().get(id) ?? null;
  const settings = async (): Promise<SettingsView> => ({
    ...(await artikey.settings()),
    launchAtLogin: await desktop.launchAtLogin.get(),
  });
  const loginResult = (outcome: Awaited<ReturnType<Artikey['loginWithPassword']>>) => ({
    instance: instanceSummary(outcome.instance, next(outcome.instance.id)),
    notes: [...outcome.notes],
  });
  const openOwnPage = async (url: string, instanceUrl: string): Promise<void> => {
    if (!isAllowedExternalUrl(url, [instanceUrl]))
      throw new ArtikeyError(
        'invalid-address',
        `Not opening ${url}: it is not the instance's own address.`,
      );
    await desktop.openInBrowser(url, [instanceUrl]);
  };

  /** Goes on only when the person said yes in main's own dialog. */
  const confirmed = async (question: Confirmation, otherwise: string): Promise<void> => {
    if (!(await context.dialogs.confirm(question))) throw new DeclinedError(otherwise);
  };
  const hostOf = (platformUrl: string): string => new URL(platformUrl).host;
  const detailsOf = async (id: string) => instanceDetails(await artikey.inspect(id), next(id));
  const unchanged = 'You did not confirm; nothing changed.';

  /** The instance and the tool file a configure, preview or Docker login would write. */
  const specFor = async (id: string, tool: Tool, options: ConfigureOptions) => {
    const view = await artikey.instance(id);
    return { view, spec: targetSpec(tool, view, options, environment) };
  };

  return {
    'app.info': async () => ({
      ...desktop.info,
      keychain: artikey.keychain,
    }),

    'instances.list': async () =>
      (await artikey.list()).map((view) => instanceSummary(view, next(view.id))),
    'instances.inspect': async (id) => instanceDetails(await artikey.inspect(id), next(id)),
    'instances.refresh': async (id) => {
      const view = await artikey.refresh(id);
      return instanceSummary(view, next(view.id));
    },
    'instances.rename': async (id, name) => {
      const view = await artikey.rename(id, name);
      return instanceSummary(view, next(view.id));
    },
    'instances.logout': async (id, options) => {
      const outcome = await artikey
        .logout(id, { keepServerToken: options?.keepServerToken === true })
        .catch((error: unknown) => Promise.reject(inWindowWords(error)));
      const report = describeLogout(outcome, 'choose Finish logout');
      return {
        revoked: outcome.revoked,
        toolsRemoved: outcome.targetsRemoved.map(toolEntry),
        toolsFailed: outcome.targetsFailed.map(toolFailure),
        complete: outcome.complete,
        done: report.done,
        problems: report.problems,
      };
    },
    'instances.openInBrowser': async (id) => {
      const view = await artikey.instance(id);
      await openOwnPage(view.platformUrl, view.platformUrl);
      return null;
    },
    'instances.tokens': async (id) => (await artikey.serverTokens(id)).map(serverToken),
    'instances.revokeToken': async (id, { tokenId }) => {
      const outcome = await artikey.revoke(id, tokenId);
      return { revoked: outcome.revoked, tokenId: outcome.tokenId };
    },
    'instances.setConnection': async (id, { proxy, clearCaFile }) => {
      const view = await artikey.instance(id);
      const host = hostOf(view.platformUrl);
      // Checked before asking: the person is shown the proxy exactly as it will be stored.
      const checked = proxy === undefined || proxy === null ? proxy : checkProxy(proxy);
      if (checked !== undefined)
        await confirmed(
          checked === null
            ? trustQuestions.clearProxy(host)
            : trustQuestions.useProxy(host, checked, view.plainHttpWarning !== null),
          unchanged,
        );
      if (clearCaFile) await confirmed(trustQuestions.clearCaFile(host), unchanged);
      await artikey.setConnection(view.id, {
        ...(checked !== undefined ? { proxy: checked } : {}),
        ...(clearCaFile ? { caFile: null } : {}),
      });
      // Asking the server right away shows whether the new way through works (serverVersion).
      return detailsOf(view.id);
    },
    'instances.pickCaFile': async (id) => {
      const view = await artikey.instance(id);
      const host = hostOf(view.platformUrl);
      const file = await context.dialogs.pickCaFile(host);
      if (file === null) throw new DeclinedError('No file was chosen; nothing changed.');
      await checkCaFile(file);
      await confirmed(trustQuestions.trustCaFile(host, file), unchanged);
      await artikey.setConnection(view.id, { caFile: file });
      return detailsOf(view.id);
    },

    'login.advice': (url) => artikey.loginAdvice(url),
    'login.password': async (request) => loginResult(await artikey.loginWithPassword(request)),
    'login.token': async (request) => loginResult(await artikey.loginWithToken(request)),
    'login.apiKey': async (request) => loginResult(await artikey.loginWithApiKey(request)),
    'login.browser': async (request) => loginResult(await context.browserLogins.start(request)),
    'login.cancel': async () => ({ cancelled: context.browserLogins.cancel() }),

    'tools.configure': async (id, { tool, replaceReferences, ...options }) => {
      const { view, spec } = await specFor(id, tool, options);
      const outcome = await artikey.configureTool(view.id, spec, {
        replaceReferences: replaceReferences === true,
      });
      const repository = tool === 'maven' ? options.mirror : options.repo;
      if (REPOSITORY_PACKAGE_TYPE[tool] !== null && repository !== undefined)
        await artikey.rememberRepository(view.id, tool, repository.trim());
      return { tool: toolEntry(outcome.target), changed: outcome.changed };
    },
    'tools.repositories': async (id, tool) => {
      const listing = await artikey.repositories(id, tool);
      const { spec } = await specFor(id, tool, { repo: URL_PLACEHOLDER });
      const written = writtenUrl(spec);
      const shown = written ?? repositoryUsage(spec, URL_PLACEHOLDER)?.line ?? '';
      const [before = '', after = ''] = shown.split(URL_PLACEHOLDER);
      const pulls = tool === 'docker' || tool === 'podman';
      const use =
        written !== null
          ? 'written'
          : pulls
            ? 'pull'
            : tool === 'terraform'
              ? 'module-source'
              : tool === 'sbt'
                ? 'build-sbt'
                : 'build-script';
      const common = { remembered: listing.remembered, use, url: { before, after } } as const;
      return listing.status === 'listed'
        ? {
            listed: true,
            repositories: listing.repositories.map((r) => ({
              key: r.key,
              type: r.rclass,
              description: r.description,
            })),
            ...common,
          }
        : { listed: false, note: listing.note, ...common };
    },
    'tools.preview': async (id, { tool, replaceReferences, ...options }) => {
      const { view, spec } = await specFor(id, tool, options);
      const preview = await artikey.previewTool(view.id, spec, {
        replaceReferences: replaceReferences === true,
      });
      return toolPreview(preview, describeTarget({ ...spec, path: preview.path }));
    },
    'tools.unconfigure': async (id, { kind, path }) => {
      const outcome = await artikey.unconfigureTool(
        id,
        (target) =>
          (kind === undefined || target.kind === kind) &&
          (path === undefined || target.path === path),
      );
      return {
        removed: outcome.removed.map((r) => toolEntry(r.target)),
        failed: outcome.failed.map(toolFailure),
      };
    },
    'tools.detect': async (id) => {
      const detection = await artikey.detectTools(id, environment);
      return {
        instanceId: detection.instanceId,
        instanceName: detection.instanceName,
        tools: detection.tools.map((t) => ({
          tool: t.tool,
          status: t.status,
          program: t.program,
          configured: t.configured.map(toolEntry),
          found: t.found.map((c) => foundCredential({ ...c, works: null })),
          proposed: t.proposed,
          unsuitable: t.unsuitable,
          repository: t.repository,
        })),
      };
    },
    'tools.prepareSetup': async (id, { choices }) => {
      const plan = await artikey.prepareSetup(
        id,
        choices.map(({ tool, ...options }) => ({ tool, options })),
        environment,
      );
      return {
        id: plan.id,
        items: plan.items.map((item) => ({
          tool: item.tool,
          action: item.action,
          entries: item.entries,
          previews: item.previews.map((p) => toolPreview(p, item.entries.join('; '))),
        })),
      };
    },
    'tools.applySetup': async ({ planId }) => {
      const outcome = await artikey.applySetup(planId);
      return { written: outcome.written.map((w) => toolEntry(w.target)) };
    },
    'tools.dockerLogin': async (id) => {
      const { view, spec } = await specFor(id, 'docker', {});
      const outcome = await artikey.configureTool(view.id, spec);
      return { tool: toolEntry(outcome.target), changed: outcome.changed };
    },

    'credentials.scan': async ({ check }) => {
      const report = await artikey.scan(environment, { check });
      return {
        found: report.found.map(foundCredential),
        problems: report.problems.map((p) => ({
          file: p.file,
          code: 'unreadable',
          message: p.message,
        })),
        searched: [...report.searched],
      };
    },
    'credentials.loginToMigrate': async (request) => {
      const outcome = await context.browserLogins.startForMigration(request, environment);
      return { ...loginResult(outcome), via: outcome.via };
    },
    'credentials.migrate': async (id, { apply }) => {
      const result = await artikey.migrate(id, environment, apply);
      return {
        steps: result.steps.map(migrationStep),
        applied: result.applied.map(migrationStep),
        failed: result.failed.map((f) => ({
          step: migrationStep(f.step),
          code: f.code,
          message: f.message,
        })),
        backups: result.backups.map((b) => ({ file: b.file, backup: b.backup })),
      };
    },

    'backups.list': async ({ check }) =>
      (await artikey.backups(environment, { check })).map(backupEntry),
    'backups.delete': async ({ path }) => {
      // Only a backup Artikey lists is named to the person, and only that one can be deleted.
      const [backup] = requireBackups(await artikey.backups(environment), [path]);
      const holds = backup!.credentials.length
        ? backup!.credentials.map((c) => `${c.kind} (${c.live})`).join(', ')
        : (backup!.problem ?? 'no credentials');
      await confirmed(
        trustQuestions.deleteBackup(backup!.path, backup!.of, holds),
        'You did not confirm; the backup is still there.',
      );
      const result = await artikey.deleteBackups(environment, [backup!.path]);
      const failure = result.failed[0];
      if (failure) throw new Error(`Could not delete ${failure.path}: ${failure.message}`);
      logger.info(`deleted the backup ${backup!.path} after the person confirmed`);
      return { deleted: backup!.path };
    },

    'notices.list': async () => (await artikey.notices()).due.map(noticeSummary),

    'activity.list': async ({ limit }) => (await artikey.activity(limit)).map(activityEntry),

    'token.copy': async (id) => {
      const token = await artikey.accessToken(id);
      logger.info(`copied the token of ${id} to the clipboard`);
      return context.clipboard.copy(token);
    },
    'token.reveal': async (id) => {
      const view = await artikey.instance(id);
      await confirmed(
        trustQuestions.reveal(hostOf(view.platformUrl), view.username),
        'The token was not shown.',
      );
      const token = await artikey.accessToken(view.id);
      logger.info(`revealed the token of ${view.id} after the person confirmed`);
      return { token };
    },

    'settings.get': settings,
    'settings.update': async ({ launchAtLogin, deleteDeadBackups, ...change }) => {
      if (deleteDeadBackups === true && !(await artikey.settings()).deleteDeadBackups)
        await confirmed(trustQuestions.deleteDeadBackups(), unchanged);
      await artikey.updateSettings(change);
      if (deleteDeadBackups !== undefined) await artikey.setDeleteDeadBackups(deleteDeadBackups);
      if (launchAtLogin !== undefined) await desktop.launchAtLogin.set(launchAtLogin);
      return settings();
    },

    'cliTools.status': () => desktop.cliTools.status(),
    'cliTools.install': () => desktop.cliTools.install(),
  };
}
