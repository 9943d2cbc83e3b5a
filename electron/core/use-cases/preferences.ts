import { checkCaFile, checkProxy, type Connection } from '../connection.js';
import { ArtikeyError } from '../errors.js';
import { checkName, findInstance } from '../instances.js';
import type { InstanceView } from '../instance-view.js';
import { planNotices, type Notice, type NoticePlan } from '../notices.js';
import type { Settings } from '../state.js';
import type { Services } from './services.js';

/** The person's choices: settings, an instance's name and connection, and which notices were seen. */
export class Preferences {
  constructor(private readonly s: Services) {}

  async settings(): Promise<Settings> {
    return (await this.s.state.load()).settings;
  }

  /** Changes settings after checking every value; a bad value changes nothing. */
  async updateSettings(change: Partial<Settings>): Promise<Settings> {
    const checked = checkSettings(change);
    const state = await this.s.state.update((s) => {
      s.settings = { ...s.settings, ...checked };
    });
    return state.settings;
  }

  async rename(reference: string, name: string): Promise<InstanceView> {
    const record = findInstance(await this.s.state.load(), reference);
    let clean = name;
    const saved = await this.s.state.update((s) => {
      // Checked under the lock, against the names as they are now.
      clean = checkName(s, name, record.id);
      findInstance(s, record.id).name = clean;
    });
    await this.s.record('rename', { id: record.id, name: clean }, `Renamed "${record.name}" to "${clean}"`);
    this.s.emit(record.id, 'rename');
    return this.s.view(findInstance(saved, record.id), saved);
  }

  /**
   * Sets how Artikey reaches the instance: a PEM bundle trusted besides the system's CAs, and an
   * HTTP(S) proxy (null clears either, a missing one stays). Both are checked first; a bad value
   * changes nothing.
   */
  async setConnection(reference: string, connection: Partial<Connection>): Promise<InstanceView> {
    const record = findInstance(await this.s.state.load(), reference);
    const caFile = connection.caFile === undefined ? undefined : connection.caFile === null ? null : await checkCaFile(connection.caFile);
    const proxy = connection.proxy === undefined ? undefined : connection.proxy === null ? null : checkProxy(connection.proxy);
    const saved = await this.s.state.update((s) => {
      const target = findInstance(s, record.id);
      if (caFile !== undefined) target.caFile = caFile;
      if (proxy !== undefined) target.proxy = proxy;
      target.updatedAt = this.s.seconds();
    });
    const updated = findInstance(saved, record.id);
    this.s.log.info(`set the connection of ${record.id}: ${updated.caFile ? 'own CA bundle' : 'system CAs'}, ${updated.proxy ? `proxy ${updated.proxy}` : 'proxy from the environment'}`);
    this.s.emit(record.id, 'connection');
    return this.s.view(updated, saved);
  }

  /** The warnings due now, and when to look again (see notices.ts); `seen` ones are left out. */
  async notices(): Promise<NoticePlan> {
    const state = await this.s.state.load();
    const subjects = state.instances.map((i) => ({
      id: i.id,
      name: i.name,
      tokenId: i.token.tokenId,
      expiresAt: i.token.expiresAt,
      refreshable: i.token.refreshable,
      refreshError: i.refreshError,
      revocation: i.revocation.status,
    }));
    return planNotices(subjects, state.settings, this.s.seconds(), new Set(state.shownNotices));
  }

  /** Remembers that these notices were shown (with the ones they cover), so none repeats. */
  async markNoticesShown(notices: Notice[]): Promise<void> {
    if (notices.length === 0) return;
    const saved = await this.s.state.update((s) => {
      s.shownNotices = [...new Set([...s.shownNotices, ...notices.flatMap((n) => [n.key, ...n.covers])])];
    });
    for (const notice of notices) {
      const instance = saved.instances.find((i) => i.id === notice.instanceId);
      await this.s.record('notice', { id: notice.instanceId, name: instance?.name ?? notice.instanceId }, `Notice shown: ${notice.title}`);
    }
  }
}

const DAY = 86_400;

function checkSettings(change: Partial<Settings>): Partial<Settings> {
  const seconds = (name: string, value: unknown, min: number, max: number): number => {
    if (typeof value !== 'number' || !Number.isInteger(value) || value < min || value > max)
      throw new ArtikeyError('invalid-option', `${name} must be a whole number of seconds from ${min} to ${max}.`);
    return value;
  };
  const checked: Partial<Settings> = {};
  if (change.defaultTokenLifetimeSeconds !== undefined)
    checked.defaultTokenLifetimeSeconds = seconds('The token lifetime', change.defaultTokenLifetimeSeconds, 5 * 60, 365 * DAY);
  if (change.rotationIntervalSeconds !== undefined)
    checked.rotationIntervalSeconds = seconds('The rotation interval', change.rotationIntervalSeconds, 5 * 60, 365 * DAY);
  if (change.expiringThresholdSeconds !== undefined)
    checked.expiringThresholdSeconds = seconds('"Expiring" threshold', change.expiringThresholdSeconds, 60, 90 * DAY);
  if (change.warnBeforeSeconds !== undefined) {
    if (!Array.isArray(change.warnBeforeSeconds) || change.warnBeforeSeconds.length > 6)
      throw new ArtikeyError('invalid-option', 'Warnings: give up to 6 times before expiry.');
    const warn = change.warnBeforeSeconds.map((value) => seconds('A warning time', value, 60, 90 * DAY));
    checked.warnBeforeSeconds = [...new Set(warn)].sort((a, b) => b - a);
  }
  return checked;
}
