import { randomUUID } from 'node:crypto';
import { ArtikeyError, errorCode } from '../errors.js';
import { findInstance } from '../instances.js';
import { backUpBefore, runCleanup, type MigrationBackup, type MigrationStep } from '../migrate.js';
import type { Environment } from '../paths.js';
import { REPOSITORY_KEY, REPOSITORY_PACKAGE_TYPE } from '../repositories.js';
import type { CredentialView } from '../scan/scan.js';
import { FileJournal, fingerprint } from '../targets/file-journal.js';
import type { TargetPreview } from '../targets/preview.js';
import { refusalFor, type TargetOutcome } from '../targets/registry.js';
import { definitionFor } from '../targets/target-kinds.js';
import type { TargetRecord, TargetSpec } from '../targets/target-record.js';
import { readForEdit } from '../targets/tool-file.js';
import { installedTools } from '../targets/tool-programs.js';
import {
  describeTarget,
  kindsOf,
  targetSpec,
  toolOf,
  TOOLS,
  type ConfigureOptions,
  type Tool,
} from '../targets/tool-request.js';
import { tokenUse } from '../token-use.js';
import type { Audit } from './audit.js';
import type { Refreshes } from './refresh.js';
import type { InstanceRecord } from '../state.js';
import type { Services } from './services.js';
import { requireUnclaimed, requireUsername, type Tools } from './tools.js';

/**
 * Where a tool stands for an instance: Artikey configured it already; its files hold a plain-text
 * credential of the instance, which setup replaces (as `migrate` does) rather than adding a
 * second entry beside it; its program is installed; or none of these.
 */
export type ToolSetupStatus = 'configured' | 'migrate' | 'installed' | 'not-installed';

export interface ToolDetection {
  tool: Tool;
  status: ToolSetupStatus;
  /** The program on PATH that says the tool is installed; null when none was found. */
  program: string | null;
  /** Artikey's entries of the instance for the tool. */
  configured: TargetRecord[];
  /** The instance's plain-text credentials in the tool's files, which setup replaces. */
  found: CredentialView[];
  /** Setup proposes it: installed or holding a plain-text credential, not configured yet, and possible for the instance. */
  proposed: boolean;
  /** Why the instance cannot have the tool's entry (Go needs https); null when it can. Such a tool is not proposed. */
  unsuitable: string | null;
  /** The package type of the repository the entry names (the same choice as configure's); null: none to choose. */
  packageType: string | null;
  /** Whether the entry cannot be written without a repository, or may name one; null: none to choose. */
  repository: 'required' | 'optional' | null;
}

export interface SetupDetection {
  instanceId: string;
  instanceName: string;
  tools: ToolDetection[];
}

/** A tool to set up, with what configure would be told (`repo`, …); a tool to migrate takes its entry from what was found. */
export interface SetupChoice {
  tool: Tool;
  options: ConfigureOptions;
}

/** One tool of a plan: what it writes, each file's preview (its companion's too), never a secret. */
export interface SetupItem {
  tool: Tool;
  action: 'configure' | 'migrate';
  /** One line per entry, as configure describes it. */
  entries: string[];
  previews: TargetPreview[];
  /** For a migration: the plain-text credentials its entries replace. */
  replaces: CredentialView[];
}

export interface SetupPlan {
  /** Names the plan to `apply`, which writes exactly what was previewed. */
  id: string;
  instanceId: string;
  instanceName: string;
  items: SetupItem[];
}

export interface SetupOutcome {
  instanceId: string;
  written: (TargetOutcome & { tool: Tool })[];
  /** Backups of files whose plain-text credentials a migration replaced, as `migrate` keeps them. */
  backups: MigrationBackup[];
}

/**
 * A setup that could not be completed: every file it had written is back as it was and the state
 * records none of its entries. `file` is where it failed; `notRestored`, files that could not be
 * put back (their entries stay recorded, so logout takes them out).
 */
export class SetupFailure extends Error {
  override readonly name = 'SetupFailure';
  constructor(
    readonly code: string,
    message: string,
    readonly tool: Tool,
    readonly file: string,
    readonly restored: string[],
    readonly notRestored: { path: string; message: string }[],
  ) {
    super(message);
  }
}

/** One entry the plan writes, in order. */
interface Write {
  tool: Tool;
  spec: TargetSpec;
  /** Migrating: the plain-text credential it replaces, backed up first, and its other copies taken out after. */
  migration: Extract<MigrationStep, { action: 'replace' }> | null;
}

interface StoredPlan {
  instanceId: string;
  writes: Write[];
  /** Each file's fingerprint when previewed, by real path. */
  previewed: Map<string, string>;
  /** The repositories chosen, remembered once the setup is done. */
  repositories: { tool: Tool; key: string }[];
}

/** Plans are kept for their `apply` only; a window left open on old ones does not keep many. */
const KEPT_PLANS = 8;

/**
 * `artikey setup` and the window's "Set up my tools": which tools a person uses and which already
 * reach the instance, then several tools' entries written as one change: all of them, or, when
 * one cannot be written, none (the files already written are put back byte for byte and the
 * state records none of them).
 */
export class Setup {
  readonly #plans = new Map<string, StoredPlan>();

  constructor(
    private readonly s: Services,
    private readonly refreshes: Refreshes,
    private readonly tools: Tools,
    private readonly audit: Audit,
  ) {}

  /** Every tool: installed (its program on PATH)? configured already? plain-text credentials of the instance in its files? */
  async detect(reference: string, environment: Environment): Promise<SetupDetection> {
    const record = findInstance(await this.s.state.load(), reference);
    const programs = await installedTools(TOOLS, environment);
    const migration = await this.#migrationSteps(record.id, environment);
    const tools = TOOLS.map((tool): ToolDetection => {
      const kinds = kindsOf(tool);
      const configured = record.targets.filter((t) => kinds.includes(t.kind));
      const found = migration
        .filter((step) => toolOf(step.target.kind) === tool)
        .map((step) => step.credential);
      const program = programs.get(tool) ?? null;
      const status =
        configured.length > 0
          ? 'configured'
          : found.length > 0
            ? 'migrate'
            : program !== null
              ? 'installed'
              : 'not-installed';
      const unsuitable = status === 'installed' ? unsuitableFor(tool, record, environment) : null;
      const packageType = status === 'migrate' ? null : REPOSITORY_PACKAGE_TYPE[tool];
      const repository =
        packageType === null
          ? null
          : needsRepository(tool, record, environment)
            ? 'required'
            : 'optional';
      return {
        tool,
        status,
        program,
        configured,
        found,
        proposed: status === 'migrate' || (status === 'installed' && unsuitable === null),
        unsuitable,
        packageType,
        repository,
      };
    });
    return { instanceId: record.id, instanceName: record.name, tools };
  }

  /**
   * What setting up the chosen tools would write: each entry's preview (a companion file's too),
   * with the token shown as `<token>`. Writes nothing; refuses what configure would refuse
   * (a missing repository, a file it cannot edit) before anything is written.
   */
  async prepare(
    reference: string,
    choices: SetupChoice[],
    environment: Environment,
  ): Promise<SetupPlan> {
    const record = findInstance(await this.s.state.load(), reference);
    const unique = choices.filter(
      (choice, index) => choices.findIndex((c) => c.tool === choice.tool) === index,
    );
    if (unique.length === 0)
      throw new ArtikeyError('invalid-option', 'Choose at least one tool to set up.');
    const migration = await this.#migrationSteps(record.id, environment);
    const writes: Write[] = [];
    const items: SetupItem[] = [];
    const repositories: StoredPlan['repositories'] = [];
    for (const { tool, options } of unique) {
      const replacing = migration.filter((step) => toolOf(step.target.kind) === tool);
      const toolWrites: Write[] =
        replacing.length > 0
          ? replacing.map((step) => ({ tool, spec: step.target, migration: step }))
          : [{ tool, spec: targetSpec(tool, record, options, environment), migration: null }];
      const previews: TargetPreview[] = [];
      for (const write of toolWrites) {
        const companion = definitionFor(write.spec).companion?.(write.spec);
        for (const spec of companion === undefined ? [write.spec] : [companion, write.spec])
          previews.push(await this.tools.preview(record.id, spec, { replaceReferences: false }));
      }
      writes.push(...toolWrites);
      items.push({
        tool,
        action: replacing.length > 0 ? 'migrate' : 'configure',
        entries: toolWrites.map((w) => describeTarget(w.spec)),
        previews,
        replaces: replacing.map((step) => step.credential),
      });
      const key = (tool === 'maven' ? options.mirror : options.repo)?.trim();
      if (
        replacing.length === 0 &&
        key !== undefined &&
        REPOSITORY_KEY.test(key) &&
        REPOSITORY_PACKAGE_TYPE[tool] !== null
      )
        repositories.push({ tool, key });
    }
    const previewed = new Map<string, string>();
    for (const write of writes)
      for (const path of filesOf(write)) {
        const { path: real, bytes } = await readForEdit(path);
        previewed.set(real, fingerprint(bytes));
      }
    const id = randomUUID();
    this.#plans.set(id, { instanceId: record.id, writes, previewed, repositories });
    for (const old of [...this.#plans.keys()].slice(0, -KEPT_PLANS)) this.#plans.delete(old);
    return { id, instanceId: record.id, instanceName: record.name, items };
  }

  /**
   * Writes a prepared plan as one change. The instance's lock and one state transaction are held
   * throughout, as configure holds them for one file: a refresh or configure in another process
   * comes wholly before or after. Each file is kept as it was before its first write, and must
   * still be what its preview was made from. When a write fails, every file already written is
   * put back (last first), the state forgets every entry of the plan, and the failure names the
   * file. A process killed halfway leaves the entries written so far recorded (see
   * TargetRegistry.configure): never a token in a file the state does not know of.
   */
  async apply(planId: string): Promise<SetupOutcome> {
    const plan = this.#plans.get(planId);
    if (plan === undefined)
      throw new ArtikeyError(
        'invalid-option',
        'This setup plan is no longer current (it was applied, or replaced by a newer one); review the changes again.',
      );
    this.#plans.delete(planId);
    const record = findInstance(await this.s.state.load(), plan.instanceId);
    for (const write of plan.writes) requireUsername(record, write.spec);
    // Refreshes a token about to expire, and refuses one known to be dead, before the lock.
    await this.refreshes.accessToken(record.id, 300);
    const outcome = await this.s.locks.run(record.id, async () => {
      const { accessToken } = await this.s.secrets(record);
      return this.s.state.transaction(async (state, checkpoint) => {
        const current = findInstance(state, record.id);
        const use = tokenUse(current, this.s.seconds() + current.clockOffsetSeconds);
        if (use instanceof ArtikeyError) throw use;
        for (const write of plan.writes) {
          requireUsername(current, write.spec);
          requireUnclaimed(state.instances, current, write.spec);
        }
        const credentials = { username: current.username ?? '', token: accessToken };
        const before = current.targets;
        const journal = new FileJournal(plan.previewed);
        const written: SetupOutcome['written'] = [];
        const backups: MigrationBackup[] = [];
        let at: { tool: Tool; file: string } = { tool: plan.writes[0]?.tool ?? 'docker', file: '' };
        try {
          for (const write of plan.writes) {
            for (const path of filesOf(write)) {
              at = { tool: write.tool, file: path };
              at.file = await journal.keep(path);
            }
            at.file = write.spec.path;
            if (write.migration) await backUpBefore(write.migration, backups);
            const result = await this.s.targets.configure(
              current,
              write.spec,
              credentials,
              { replaceReferences: false },
              checkpoint,
            );
            if (write.migration?.cleanup) {
              at.file = write.migration.cleanup.path;
              await runCleanup(write.migration.cleanup);
            }
            written.push({ ...result, tool: write.tool });
          }
        } catch (error) {
          const back = await journal.putBack();
          // What could not be put back stays recorded, so that logout still takes it out.
          const kept = current.targets.filter(
            (t) => !before.includes(t) && back.failed.some((f) => f.path === t.path),
          );
          current.targets = [...before, ...kept];
          await checkpoint();
          throw failure(error, at, back.restored, back.failed);
        }
        const chosen = { ...current.chosenRepositories };
        for (const { tool, key } of plan.repositories)
          chosen[REPOSITORY_PACKAGE_TYPE[tool] ?? tool] = key;
        if (plan.repositories.length > 0) current.chosenRepositories = chosen;
        return { instanceId: current.id, written, backups };
      });
    });
    for (const { target, changed, tool } of outcome.written)
      if (changed)
        await this.s.record('tools', record, `Set up ${tool}: ${describeTarget(target)}`);
    this.s.emit(record.id, 'targets');
    return outcome;
  }

  async #migrationSteps(
    instanceId: string,
    environment: Environment,
  ): Promise<Extract<MigrationStep, { action: 'replace' }>[]> {
    const { steps } = await this.audit.migrate(instanceId, environment, false);
    return steps.filter(
      (step): step is Extract<MigrationStep, { action: 'replace' }> => step.action === 'replace',
    );
  }
}

/** The tool's entry cannot be made without a repository: its request asks for one (npm's registry, pip's index). */
function needsRepository(
  tool: Tool,
  instance: { platformUrl: string; name: string },
  environment: Environment,
): boolean {
  try {
    targetSpec(tool, instance, {}, environment);
    return false;
  } catch (error) {
    // Any other refusal is the request's to make, when the tool is chosen, not the detection's.
    return errorCode(error) === 'invalid-option';
  }
}

/**
 * Why the instance can never have the tool's entry, whatever is chosen (the go command sends
 * credentials over https only): proposing it would make the whole setup refuse. A repository the
 * person has not chosen yet is stood in for, since no key changes the answer.
 */
function unsuitableFor(
  tool: Tool,
  record: InstanceRecord,
  environment: Environment,
): string | null {
  let spec: TargetSpec;
  try {
    spec = targetSpec(tool, record, { repo: 'repository' }, environment);
  } catch {
    return null; // an option the person has yet to give; prepare asks for it
  }
  return refusalFor(record, spec);
}

/** Every file a write changes, in the order it changes them: a companion's, its own, a migration's others. */
function filesOf(write: Write): string[] {
  const companion = definitionFor(write.spec).companion?.(write.spec);
  const files = [...(companion ? [companion.path] : []), write.spec.path];
  if (write.migration)
    files.push(
      write.migration.credential.file,
      ...(write.migration.cleanup ? [write.migration.cleanup.path] : []),
    );
  return [...new Set(files)];
}

function failure(
  error: unknown,
  at: { tool: Tool; file: string },
  restored: string[],
  notRestored: { path: string; message: string }[],
): SetupFailure {
  const cause = error instanceof Error ? error.message : String(error);
  const undone =
    restored.length === 0
      ? 'Nothing was changed.'
      : `Nothing was changed: Artikey put back ${restored.join(', ')} as ${restored.length === 1 ? 'it was' : 'they were'}.`;
  const left =
    notRestored.length === 0
      ? ''
      : ` Could not put back ${notRestored.map((f) => `${f.path} (${f.message})`).join(', ')}: its entry stays recorded, so artikey logout or unconfigure takes it out.`;
  return new SetupFailure(
    errorCode(error),
    `Could not set up ${at.tool} in ${at.file}: ${cause} ${undone}${left}`,
    at.tool,
    at.file,
    restored,
    notRestored,
  );
}
