import type { ActivityEntry as CoreActivityEntry } from '../core/activity.js';
import type {
  Connection,
  InstanceDetail,
  InstanceView,
  ScannedCredential,
  ServerTokenView,
} from '../core/artikey.js';
import type { BackupView } from '../core/backups/liveness.js';
import type { MigrationStep as CoreMigrationStep } from '../core/migrate.js';
import type { Notice } from '../core/notices.js';
import type { TargetPreview } from '../core/targets/preview.js';
import type { TargetFailure } from '../core/targets/registry.js';
import { holdsToken } from '../core/targets/target-kinds.js';
import type { TargetRecord } from '../core/targets/target-record.js';
import { describeTarget } from '../core/targets/tool-request.js';
import type {
  ActivityEntry,
  BackupEntry,
  ConnectionView,
  FoundCredential,
  InstanceDetails,
  InstanceSummary,
  MigrationStep,
  NoticeSummary,
  Problem,
  ToolEntry,
  ServerToken,
  ToolFailure,
  ToolPreview,
} from '../ipc/contract.js';

/**
 * The core's values as the page may see them, copied field by field: a field added to the core
 * (or a secret attached by mistake) does not cross IPC until it is named here.
 */
const problem = (p: { code: string; message: string; at: number } | null): Problem | null =>
  p && { code: p.code, message: p.message, at: p.at };

export const toolEntry = (target: TargetRecord): ToolEntry => ({
  kind: target.kind,
  path: target.path,
  description: describeTarget(target),
  holdsToken: holdsToken(target),
  writtenAt: target.writtenAt,
  error: problem(target.error),
});

export const toolFailure = (failure: TargetFailure): ToolFailure => ({
  tool: toolEntry(failure.target),
  code: failure.code,
  message: failure.message,
});

export function instanceSummary(view: InstanceView, nextRefreshAt: number | null): InstanceSummary {
  const t = view.token;
  return {
    id: view.id,
    name: view.name,
    platformUrl: view.platformUrl,
    username: view.username,
    loginMethod: view.loginMethod,
    status: view.status,
    token: {
      kind: t.kind,
      tokenId: t.tokenId,
      subject: t.subject,
      scopes: [...t.scopes],
      audience: [...t.audience],
      issuer: t.issuer,
      issuedAt: t.issuedAt,
      expiresAt: t.expiresAt,
      refreshable: t.refreshable,
      revocable: t.revocable,
      signature: t.signature,
    },
    expiresInSeconds: view.expiresInSeconds,
    revocation: { status: view.revocation.status, checkedAt: view.revocation.checkedAt },
    refreshError: problem(view.refreshError),
    tokenLifetimeSeconds: view.tokenLifetimeSeconds,
    tools: view.targets.map(toolEntry),
    clockOffsetSeconds: view.clockOffsetSeconds,
    plainHttpWarning: view.plainHttpWarning,
    lifetimeNote: view.lifetimeNote,
    nextRefreshAt,
    logoutIncomplete: view.logoutIncomplete,
  };
}

export const instanceDetails = (
  detail: InstanceDetail,
  nextRefreshAt: number | null,
): InstanceDetails => ({
  ...instanceSummary(detail, nextRefreshAt),
  serverVersion: detail.serverVersion,
  clockSkewSeconds: detail.clockSkewSeconds,
  connection: connectionView(detail.connection),
  unreachable: detail.unreachable?.reason ?? null,
});

export const connectionView = (connection: Connection): ConnectionView => ({
  caFile: connection.caFile,
  proxy: connection.proxy,
});

export const serverToken = (token: ServerTokenView): ServerToken => ({
  tokenId: token.tokenId,
  subject: token.subject,
  description: token.description,
  issuedAt: token.issuedAt,
  expiresAt: token.expiresAt,
  lastUsedAt: token.lastUsedAt,
  refreshable: token.refreshable,
  current: token.current,
});

/** The lines are redacted by the core (`<token>`, `<secret>`); copied as they are. */
export const toolPreview = (preview: TargetPreview, description: string): ToolPreview => ({
  kind: preview.kind,
  path: preview.path,
  description,
  fileExists: preview.fileExists,
  changes: preview.changes.map((c) => ({ line: c.line, before: c.before, after: c.after })),
});

export const activityEntry = (entry: CoreActivityEntry): ActivityEntry => ({
  at: entry.at,
  kind: entry.kind,
  instanceId: entry.instanceId,
  instanceName: entry.instanceName,
  message: entry.message,
});

/** What the window may see of a credential found in a file, field by field, so no secret can ride along. */
const credentialFields = (c: ScannedCredential | BackupView['credentials'][number]) => ({
  tool: c.tool,
  file: c.file,
  location: c.location,
  line: c.line,
  url: c.url,
  host: c.host,
  username: c.username,
  kind: c.kind,
  expiresAt: c.expiresAt,
  fingerprint: c.fingerprint,
  instanceId: c.instanceId,
});

export const foundCredential = (c: ScannedCredential): FoundCredential => ({
  ...credentialFields(c),
  managed: c.managed,
  stale: c.stale,
  works: c.works,
});

/** A backup as the window sees it: field by field, so no secret can ride along. */
export const backupEntry = (b: BackupView): BackupEntry => ({
  path: b.path,
  of: b.of,
  takenAt: b.takenAt,
  size: b.size,
  legacy: b.legacy,
  credentials: b.credentials.map((c) => ({
    ...credentialFields(c),
    live: c.live,
    why: c.why,
  })),
  problem: b.problem,
  holdsLiveSecret: b.holdsLiveSecret,
  onlyDeadSecrets: b.onlyDeadSecrets,
});

export function migrationStep(step: CoreMigrationStep): MigrationStep {
  const credential = foundCredential({ ...step.credential, works: null });
  return step.action === 'replace'
    ? {
        action: 'replace',
        credential,
        tool: step.target.kind,
        description: describeTarget(step.target),
      }
    : { action: 'skip', credential, reason: step.reason };
}

export const noticeSummary = (notice: Notice): NoticeSummary => ({
  key: notice.key,
  instanceId: notice.instanceId,
  kind: notice.kind,
  title: notice.title,
  body: notice.body,
  actions: [...notice.actions],
});
