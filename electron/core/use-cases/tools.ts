import { ArtikeyError } from '../errors.js';
import { findInstance } from '../instances.js';
import type { InstanceRecord } from '../state.js';
import type { TargetPreview } from '../targets/preview.js';
import { definitionFor, sameTarget } from '../targets/target-kinds.js';
import { needsUsername, type TargetFailure, type TargetOutcome } from '../targets/registry.js';
import type { TargetRecord, TargetSpec } from '../targets/target-record.js';
import { describeTarget } from '../targets/tool-request.js';
import { tokenUse } from '../token-use.js';
import type { Refreshes } from './refresh.js';
import type { Services } from './services.js';

/** Writing an instance's credentials into tool files, and taking them out again. */
export class Tools {
  constructor(
    private readonly s: Services,
    private readonly refreshes: Refreshes,
  ) {}

  /**
   * Writes the instance's credentials into a tool's configuration (or, for Docker's helper mode,
   * points Docker at Artikey) and records where, so refreshes and logout keep it in step. The
   * token is read under the instance's lock, which every keychain writer holds, and written and
   * recorded in one state transaction: a refresh in another process either comes first (and this
   * copies its token) or after (and rewrites this copy with the rest).
   */
  async configure(reference: string, spec: TargetSpec, options: { replaceReferences?: boolean } = {}): Promise<TargetOutcome> {
    const record = findInstance(await this.s.state.load(), reference);
    requireUsername(record, spec);
    // Refreshes a token about to expire, and refuses one known to be dead, before the lock.
    await this.refreshes.accessToken(record.id, 300);
    const outcome = await this.s.locks.run(record.id, async () => {
      const { accessToken } = await this.s.secrets(record);
      return this.s.state.transaction((state, checkpoint) => {
        const current = findInstance(state, record.id);
        const use = tokenUse(current, this.s.seconds() + current.clockOffsetSeconds);
        if (use instanceof ArtikeyError) throw use;
        requireUsername(current, spec);
        requireUnclaimed(state.instances, current, spec);
        return this.s.targets.configure(current, spec, { username: current.username ?? '', token: accessToken }, options, checkpoint);
      });
    });
    if (outcome.changed) await this.s.record('tools', record, `Configured ${describeTarget(outcome.target)}`);
    this.s.emit(record.id, 'targets');
    return outcome;
  }

  /** Takes out what Artikey wrote for the targets `select` picks (all of them by default). */
  async unconfigure(reference: string, select: (target: TargetRecord) => boolean = () => true): Promise<{ removed: TargetOutcome[]; failed: TargetFailure[] }> {
    const record = findInstance(await this.s.state.load(), reference);
    const result = await this.s.state.transaction((state, checkpoint) => this.s.targets.remove(findInstance(state, record.id), select, checkpoint));
    for (const { target } of result.removed) await this.s.record('tools', record, `Removed ${describeTarget(target)}`);
    for (const { target, code } of result.failed) await this.s.record('tools', record, `Could not remove ${describeTarget(target)} (${code})`);
    this.s.emit(record.id, 'targets');
    return result;
  }

  /** Where the instance's credentials were written. */
  async targets(reference: string): Promise<TargetRecord[]> {
    return findInstance(await this.s.state.load(), reference).targets;
  }

  /**
   * What `configure` with the same spec would change in the tool's file, line by line, with the
   * token shown as `<token>` and any other secret on a changed line as `<secret>`. Writes nothing,
   * records nothing and never refreshes.
   */
  async preview(reference: string, spec: TargetSpec, options: { replaceReferences?: boolean } = {}): Promise<TargetPreview> {
    const record = findInstance(await this.s.state.load(), reference);
    requireUsername(record, spec);
    const secrets = await this.s.secrets(record);
    const preview = await this.s.targets.preview(record, spec, { username: record.username ?? '', token: secrets.accessToken }, options);
    // The real token only decides which lines change; it must never be in what is shown.
    const shown = JSON.stringify(preview);
    if ([secrets.accessToken, secrets.refreshToken, secrets.referenceToken].some((secret) => secret && shown.includes(secret))) {
      throw new Error(`The preview of ${spec.kind} for ${record.id} would have shown the token; nothing is shown.`);
    }
    return preview;
  }
}

/** Tool files that carry a user name (all but npm's) need the instance to know it. */
export function requireUsername(record: InstanceRecord, spec: TargetSpec): void {
  if (!record.username && needsUsername(spec)) {
    throw new ArtikeyError('username-required', `Artikey does not know the user name for ${record.name}, which ${spec.kind} needs; log in again with --user.`);
  }
}

/**
 * An entry named by something other than its server (Cargo's registry name) can be another
 * instance's already: writing over it would hand that instance's entry to this one, and either
 * logout would then take out what the other wrote.
 */
export function requireUnclaimed(instances: InstanceRecord[], record: InstanceRecord, spec: TargetSpec): void {
  const companion = definitionFor(spec).companion?.(spec);
  for (const other of instances) {
    if (other.id === record.id) continue;
    const taken = other.targets.find((t) => sameTarget(t, spec) || (companion !== undefined && sameTarget(t, companion)));
    if (taken)
      throw new ArtikeyError(
        'invalid-target',
        `${describeTarget(taken)}: this entry is configured for ${other.name} already; name another one (for Cargo, --registry-name; for NuGet, --name) or unconfigure it for ${other.name} first.`,
      );
  }
}
