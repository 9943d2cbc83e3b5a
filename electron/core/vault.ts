import { createHash } from 'node:crypto';

/**
 * One OS keychain, as the vault needs it. The real one is `osKeychain()`; tests wrap it to
 * imitate platform quirks (such as Windows' size limit) on the real Secret Service.
 */
export interface SecretBackend {
  /** Shown by `artikey doctor`: which keychain holds the secrets. */
  readonly description: string;
  /** Longest secret the platform stores, in UTF-16 code units. */
  readonly maxSecretLength: number;
  get(account: string): Promise<string | null>;
  set(account: string, secret: string): Promise<void>;
  /** True when something was deleted. */
  delete(account: string): Promise<boolean>;
  /** The names of every entry of the service, so what no pointer names can still be removed. */
  accounts(): Promise<string[]>;
}

export type VaultErrorCode = 'keychain-unavailable' | 'keychain-locked' | 'keychain-timeout' | 'keychain-corrupt' | 'keychain-failed';

export class VaultError extends Error {
  constructor(
    readonly code: VaultErrorCode,
    message: string,
  ) {
    super(message);
    this.name = 'VaultError';
  }
}

/** The secrets of one instance. Only ever in the keychain and in memory while used. */
export interface InstanceSecrets {
  accessToken: string;
  refreshToken?: string;
  /** Reference tokens need the user name for Basic auth, which lives in state, not here. */
  referenceToken?: string;
}

interface Pointer {
  v: 1;
  generation: number;
  parts: number;
  sha256: string;
}

/** A record small enough for one entry, kept in the instance's own entry. */
interface Inline {
  v: 2;
  sha256: string;
  record: string;
}

/**
 * Secrets per instance, crash-safe on every platform. A record that fits one entry is written to
 * the instance's entry in one keychain call: a refresh's answer is stored by a single write, the
 * shortest window in which a killed process can lose a refresh token the server already spent.
 * A larger record is split into parts (Windows keeps at most 2,560 bytes of UTF-16 per
 * credential, and JFrog tokens with long scopes exceed that): parts of a new generation are
 * written first and the instance's entry, then a small pointer, is switched to them last. Either
 * way a crash at any moment leaves the old pair or the new one, never a mix.
 */
export class Vault {
  constructor(private readonly backend: SecretBackend) {}

  get description(): string {
    return this.backend.description;
  }

  /**
   * Reads without a lock: another process may switch a split record's pointer to a new generation
   * (or to an inline record) and delete the parts of the one being read. A part that is gone while the pointer moved on is that
   * race, and the read starts again from the new pointer; only parts missing under an unchanged
   * pointer are damage.
   */
  async read(instanceId: string): Promise<InstanceSecrets | null> {
    let pointer = await this.#pointer(instanceId);
    for (let attempt = 0; pointer; attempt++) {
      const record = pointer.v === 2 ? pointer.record : await this.#parts(instanceId, pointer);
      if (record !== null && digest(record) === pointer.sha256) return parseSecrets(record, instanceId);
      const now = await this.#pointer(instanceId);
      if (attempt >= 5 || pointer.v === 2 || (now !== null && samePointer(now, pointer))) throw corrupt(instanceId);
      pointer = now;
    }
    return null;
  }

  /** The record a split entry names, or null when a part is missing. */
  async #parts(instanceId: string, pointer: Pointer): Promise<string | null> {
    const parts: string[] = [];
    for (let index = 0; index < pointer.parts; index++) {
      const part = await this.backend.get(partAccount(instanceId, pointer.generation, index));
      if (part === null) return null;
      parts.push(part);
    }
    return parts.join('');
  }

  /** Whether the keychain holds the instance's record, by one read (its pointer): cheap enough for a list. */
  async has(instanceId: string): Promise<boolean> {
    return (await this.#pointer(instanceId)) !== null;
  }

  async write(instanceId: string, secrets: InstanceSecrets): Promise<void> {
    const record = JSON.stringify({
      accessToken: secrets.accessToken,
      ...(secrets.refreshToken ? { refreshToken: secrets.refreshToken } : {}),
      ...(secrets.referenceToken ? { referenceToken: secrets.referenceToken } : {}),
    });
    const inline: Inline = { v: 2, sha256: digest(record), record };
    const entry = JSON.stringify(inline);
    if (entry.length <= this.backend.maxSecretLength) {
      // Nothing is read first: this one write is the whole commit. Parts an earlier split record
      // left are only garbage after it, so failing to remove them does not fail the write (erase finds them by name).
      await this.backend.set(instanceId, entry);
      await this.#deleteStaleParts(instanceId).catch(() => undefined);
      return;
    }
    const found = await this.#pointer(instanceId).catch(() => null);
    const previous = found?.v === 1 ? found : null;
    const generation = (previous?.generation ?? 0) + 1;
    const size = Math.max(1, this.backend.maxSecretLength);
    const parts: string[] = [];
    for (let offset = 0; offset < record.length; offset += size) parts.push(record.slice(offset, offset + size));
    for (const [index, part] of parts.entries()) {
      await this.backend.set(partAccount(instanceId, generation, index), part);
    }
    const pointer: Pointer = { v: 1, generation, parts: parts.length, sha256: digest(record) };
    await this.backend.set(instanceId, JSON.stringify(pointer));
    if (previous) await this.#deleteParts(instanceId, previous);
  }

  /**
   * Removes every secret of the instance; true when there was something to remove. The parts are
   * found by name, not through the pointer: a damaged pointer, or a crash between writing parts
   * and switching the pointer, must not leave a live token behind.
   */
  async erase(instanceId: string): Promise<boolean> {
    const parts = (await this.backend.accounts()).filter((account) => isPartOf(instanceId, account));
    const deleted = await this.backend.delete(instanceId);
    for (const account of parts) await this.backend.delete(account);
    return deleted || parts.length > 0;
  }

  async #pointer(instanceId: string): Promise<Pointer | Inline | null> {
    const raw = await this.backend.get(instanceId);
    if (raw === null) return null;
    try {
      const parsed: unknown = JSON.parse(raw);
      if (isPointer(parsed) || isInline(parsed)) return parsed;
    } catch {
      // fall through: not a pointer we wrote
    }
    throw corrupt(instanceId);
  }

  async #deleteParts(instanceId: string, pointer: Pointer): Promise<void> {
    for (let index = 0; index < pointer.parts; index++) {
      await this.backend.delete(partAccount(instanceId, pointer.generation, index));
    }
  }

  /** Parts of the instance's earlier split records, found by name (an inline record has none). */
  async #deleteStaleParts(instanceId: string): Promise<void> {
    for (const account of (await this.backend.accounts()).filter((name) => isPartOf(instanceId, name))) await this.backend.delete(account);
  }
}

const partAccount = (instanceId: string, generation: number, index: number): string => `${instanceId}#${generation}.${index}`;
const isPartOf = (instanceId: string, account: string): boolean =>
  account.startsWith(`${instanceId}#`) && /^\d+\.\d+$/.test(account.slice(instanceId.length + 1));
const samePointer = (a: Pointer | Inline, b: Pointer): boolean => a.v === 1 && a.generation === b.generation && a.sha256 === b.sha256;
const digest = (text: string): string => createHash('sha256').update(text).digest('hex');

function isPointer(value: unknown): value is Pointer {
  if (typeof value !== 'object' || value === null) return false;
  const p = value as Record<string, unknown>;
  return p['v'] === 1 && Number.isInteger(p['generation']) && Number.isInteger(p['parts']) && (p['parts'] as number) > 0 && typeof p['sha256'] === 'string';
}

function isInline(value: unknown): value is Inline {
  if (typeof value !== 'object' || value === null) return false;
  const p = value as Record<string, unknown>;
  return p['v'] === 2 && typeof p['sha256'] === 'string' && typeof p['record'] === 'string';
}

function parseSecrets(record: string, instanceId: string): InstanceSecrets {
  let parsed: unknown;
  try {
    parsed = JSON.parse(record);
  } catch {
    throw corrupt(instanceId);
  }
  if (typeof parsed !== 'object' || parsed === null) throw corrupt(instanceId);
  const { accessToken, refreshToken, referenceToken } = parsed as Record<string, unknown>;
  if (typeof accessToken !== 'string' || accessToken === '') throw corrupt(instanceId);
  return {
    accessToken,
    ...(typeof refreshToken === 'string' ? { refreshToken } : {}),
    ...(typeof referenceToken === 'string' ? { referenceToken } : {}),
  };
}

const corrupt = (instanceId: string): VaultError =>
  new VaultError('keychain-corrupt', `The keychain entry for ${instanceId} is incomplete or was changed outside Artikey. Log in to ${instanceId} again.`);
