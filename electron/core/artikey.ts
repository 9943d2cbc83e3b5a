import type { ActivityEntry } from './activity.js';
import type { Connection } from './connection.js';
import type { InstanceView } from './instance-view.js';
import type { LogoutOutcome } from './logout-report.js';
import type { Notice, NoticePlan } from './notices.js';
import type { Environment } from './paths.js';
import type { Settings } from './state.js';
import type { TargetPreview } from './targets/preview.js';
import type { TargetFailure, TargetOutcome } from './targets/registry.js';
import type { TargetRecord, TargetSpec } from './targets/target-record.js';
import { Backups } from './use-cases/backups.js';
import { Audit, type MigrationOutcome, type ScannedCredential } from './use-cases/audit.js';
import { DockerAccess } from './use-cases/docker.js';
import { Inspection, type InstanceDetail, type ServerTokenView } from './use-cases/inspection.js';
import { Logins, type BrowserLoginRequest, type LoginOutcome, type LoginRequest } from './use-cases/login.js';
import { loginAdvice, type LoginAdvice } from './use-cases/basic-refusals.js';
import { Logouts } from './use-cases/logout.js';
import { logInToMigrate, type MigrationLogin } from './use-cases/migration-login.js';
import { Preferences } from './use-cases/preferences.js';
import { Refreshes, type RefreshOutcome } from './use-cases/refresh.js';
import { Services, type ArtikeyOptions, type InstanceChange } from './use-cases/services.js';
import { Tools } from './use-cases/tools.js';
import { Setup, type SetupChoice, type SetupDetection, type SetupOutcome, type SetupPlan } from './use-cases/setup.js';
import { RepositoryChoices } from './use-cases/repository-choice.js';
import type { RepositoryListing } from './repositories.js';
import type { Tool } from './targets/tool-request.js';
import type { ScanProblem } from './scan/scan.js';
import type { DeletedBackups } from './backups/keeper.js';
import type { BackupView } from './backups/liveness.js';

export type { ArtikeyOptions, InstanceChange } from './use-cases/services.js';
export type { BrowserLoginPrompt, BrowserLoginRequest, LoginOutcome, LoginRequest } from './use-cases/login.js';
export type { LoginAdvice } from './use-cases/basic-refusals.js';
export type { InstanceDetail, ServerTokenView } from './use-cases/inspection.js';
export type { RefreshOutcome } from './use-cases/refresh.js';
export type { SetupChoice, SetupDetection, SetupItem, SetupOutcome, SetupPlan, ToolDetection, ToolSetupStatus } from './use-cases/setup.js';
export { SetupFailure } from './use-cases/setup.js';
export type { ScannedCredential } from './use-cases/audit.js';
export type { MigrationLogin } from './use-cases/migration-login.js';
export type { InstanceView } from './instance-view.js';
export type { Connection } from './connection.js';
export type { Repository, RepositoryListing } from './repositories.js';
export { checkCaFile, checkProxy, defaultHttpFor } from './connection.js';

/**
 * The use cases the app, the tray and the CLI call. Each lives in its own module under
 * use-cases/, over the stores they share (state, keychain, tool files, servers; see Services);
 * this class only builds them and gives them one front.
 */
export class Artikey {
  readonly #services: Services;
  readonly #logins: Logins;
  readonly #refreshes: Refreshes;
  readonly #tools: Tools;
  readonly #repositories: RepositoryChoices;
  readonly #logouts: Logouts;
  readonly #inspection: Inspection;
  readonly #audit: Audit;
  readonly #preferences: Preferences;
  readonly #docker: DockerAccess;
  readonly #backups: Backups;
  readonly #setup: Setup;

  constructor(options: ArtikeyOptions) {
    const services = new Services(options);
    this.#services = services;
    this.#refreshes = new Refreshes(services);
    this.#logins = new Logins(services);
    this.#tools = new Tools(services, this.#refreshes);
    this.#repositories = new RepositoryChoices(services, this.#refreshes);
    this.#logouts = new Logouts(services);
    this.#inspection = new Inspection(services);
    this.#audit = new Audit(services, this.#tools);
    this.#preferences = new Preferences(services);
    this.#docker = new DockerAccess(services, this.#refreshes);
    this.#backups = new Backups(services);
    this.#setup = new Setup(services, this.#refreshes, this.#tools, this.#audit);
  }

  /** Calls `listener` after every change to an instance; returns the unsubscribe function. */
  onChanged(listener: (change: InstanceChange) => void): () => void {
    return this.#services.onChanged(listener);
  }

  /** Waits for refreshes in flight and queued state writes: quitting must not cut one in half. */
  async settle(): Promise<void> {
    await this.#refreshes.settled();
    await this.#services.state.settled();
  }

  get keychain(): string {
    return this.#services.vault.description;
  }

  /** Proves the keychain works end to end: store, read back and delete a throwaway entry. */
  checkKeychain(): Promise<void> {
    return this.#services.checkKeychain();
  }

  /** Recent logins, refreshes, failures, revocations, tool changes and notices, newest first. */
  activity(limit = 100): Promise<ActivityEntry[]> {
    return this.#services.activity.list(limit);
  }

  // Logging in and out

  /** Which way in to offer first for this address: the browser where the server refused a password before. */
  loginAdvice(url: string): Promise<LoginAdvice> {
    return loginAdvice(this.#services, url);
  }

  loginWithPassword(request: LoginRequest & { username: string; password: string }): Promise<LoginOutcome> {
    return this.#logins.withPassword(request);
  }

  loginWithToken(request: LoginRequest & { token: string; username?: string }): Promise<LoginOutcome> {
    return this.#logins.withToken(request);
  }

  loginWithApiKey(request: LoginRequest & { apiKey: string; username?: string; revokeApiKey?: boolean }): Promise<LoginOutcome> {
    return this.#logins.withApiKey(request);
  }

  loginWithBrowser(request: BrowserLoginRequest): Promise<LoginOutcome> {
    return this.#logins.withBrowser(request);
  }

  logout(reference: string, options: { keepServerToken?: boolean } = {}): Promise<LogoutOutcome> {
    return this.#logouts.logout(reference, options);
  }

  // Tokens

  async refresh(reference: string, onlyIfExpiringWithinSeconds?: number): Promise<InstanceView> {
    return (await this.#refreshes.refreshIfDue(reference, onlyIfExpiringWithinSeconds)).view;
  }

  refreshIfDue(reference: string, onlyIfExpiringWithinSeconds?: number): Promise<RefreshOutcome> {
    return this.#refreshes.refreshIfDue(reference, onlyIfExpiringWithinSeconds);
  }

  /**
   * Call when the machine is about to sleep (or the screen locks): refreshes every token that is
   * not fresh, so that each sleeps with its full lifetime. Resolves with those refreshed.
   */
  prepareForSleep(): Promise<InstanceView[]> {
    return this.#refreshes.prepareForSleep();
  }

  accessToken(reference: string, minimumSeconds = 60): Promise<string> {
    return this.#refreshes.accessToken(reference, minimumSeconds);
  }

  revoke(reference: string, tokenId?: string): Promise<{ revoked: boolean; tokenId: string }> {
    return this.#inspection.revoke(reference, tokenId);
  }

  serverTokens(reference: string): Promise<ServerTokenView[]> {
    return this.#inspection.serverTokens(reference);
  }

  // Looking

  list(): Promise<InstanceView[]> {
    return this.#inspection.list();
  }

  instance(reference: string): Promise<InstanceView> {
    return this.#inspection.instance(reference);
  }

  inspect(reference: string): Promise<InstanceDetail> {
    return this.#inspection.inspect(reference);
  }

  recheckRevocations(maxAgeSeconds?: number): Promise<InstanceDetail[]> {
    return this.#inspection.recheckRevocations(maxAgeSeconds);
  }

  // Tool files

  configureTool(reference: string, spec: TargetSpec, options: { replaceReferences?: boolean } = {}): Promise<TargetOutcome> {
    return this.#tools.configure(reference, spec, options);
  }

  unconfigureTool(reference: string, select?: (target: TargetRecord) => boolean): Promise<{ removed: TargetOutcome[]; failed: TargetFailure[] }> {
    return this.#tools.unconfigure(reference, select);
  }

  previewTool(reference: string, spec: TargetSpec, options: { replaceReferences?: boolean } = {}): Promise<TargetPreview> {
    return this.#tools.preview(reference, spec, options);
  }

  /** The instance's repositories a tool uses (npm, pip, Maven, Docker, Gradle), virtual first; `cannot-list` with a note when the server will not say. */
  repositories(reference: string, tool: Tool): Promise<RepositoryListing> {
    return this.#repositories.list(reference, tool);
  }

  rememberRepository(reference: string, tool: Tool, key: string): Promise<void> {
    return this.#repositories.remember(reference, tool, key);
  }

  toolTargets(reference: string): Promise<TargetRecord[]> {
    return this.#tools.targets(reference);
  }

  // Setting up several tools at once

  /** Which tools are installed, which Artikey configured for the instance, and which hold its plain-text credentials. */
  detectTools(reference: string, environment: Environment): Promise<SetupDetection> {
    return this.#setup.detect(reference, environment);
  }

  /** Every file's preview for setting up the chosen tools; nothing is written until `applySetup`. */
  prepareSetup(reference: string, choices: SetupChoice[], environment: Environment): Promise<SetupPlan> {
    return this.#setup.prepare(reference, choices, environment);
  }

  /** Writes a prepared plan: every entry, or none (a SetupFailure then names the file). */
  applySetup(planId: string): Promise<SetupOutcome> {
    return this.#setup.apply(planId);
  }

  scan(environment: Environment, options: { check?: boolean } = {}): Promise<{ found: ScannedCredential[]; problems: ScanProblem[]; searched: string[] }> {
    return this.#audit.scan(environment, options);
  }

  migrate(reference: string, environment: Environment, apply: boolean): Promise<MigrationOutcome> {
    return this.#audit.migrate(reference, environment, apply);
  }

  /** Logs in to a server the files hold credentials of, to migrate them: with its API key, or through the browser when the server refuses the key. */
  loginToMigrate(request: BrowserLoginRequest, environment: Environment): Promise<MigrationLogin> {
    return logInToMigrate(this.#logins, this.#audit, request, environment);
  }

  // Docker's credential helper

  dockerCredentials(server: string): Promise<{ instance: string; username: string; secret: string } | null> {
    return this.#docker.credentials(server);
  }

  dockerInstance(server: string): Promise<InstanceView | null> {
    return this.#docker.instance(server);
  }

  dockerHosts(): Promise<{ host: string; username: string | null }[]> {
    return this.#docker.hosts();
  }

  // Preferences

  settings(): Promise<Settings> {
    return this.#preferences.settings();
  }

  updateSettings(change: Partial<Settings>): Promise<Settings> {
    return this.#preferences.updateSettings(change);
  }

  rename(reference: string, name: string): Promise<InstanceView> {
    return this.#preferences.rename(reference, name);
  }

  setConnection(reference: string, connection: Partial<Connection>): Promise<InstanceView> {
    return this.#preferences.setConnection(reference, connection);
  }

  notices(): Promise<NoticePlan> {
    return this.#preferences.notices();
  }

  markNoticesShown(notices: Notice[]): Promise<void> {
    return this.#preferences.markNoticesShown(notices);
  }

  // Backups of tool files

  backups(environment: Environment, options: { check?: boolean } = {}): Promise<BackupView[]> {
    return this.#backups.list(environment, options);
  }

  deleteBackups(environment: Environment, paths: string[]): Promise<DeletedBackups> {
    return this.#backups.delete(environment, paths);
  }

  setDeleteDeadBackups(on: boolean): Promise<Settings> {
    return this.#backups.setDeleteDead(on);
  }
}
