import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createLogger } from '../../electron/core/logger.js';
import type { InstanceRecord } from '../../electron/core/state.js';
import { REMOVAL_INTERRUPTED, TargetRegistry, WRITE_INTERRUPTED } from '../../electron/core/targets/registry.js';
import type { TargetSpec } from '../../electron/core/targets/target-record.js';

/**
 * A process can be killed between changing a tool file and saving the state that describes it.
 * The registry therefore saves the record first (through the transaction's checkpoint), marked
 * as interrupted until the file is done: a kill leaves a record to finish, never a token in a
 * file the state does not know of, and never an entry a refresh writes back after the person
 * asked for it to go.
 */
describe('tool file edits a kill can interrupt', () => {
  let folder: string;
  let npmrc: string;
  let record: InstanceRecord;
  const registry = new TargetRegistry(() => 1_000, createLogger('test'));
  const spec = (): TargetSpec => ({ kind: 'npm', path: npmrc, registryUrl: 'https://acme.jfrog.io/artifactory/api/npm/npm/', scope: null, setRegistry: false });
  const credentials = { username: 'alice', token: 'eyJhbGciOiJSUzI1NiJ9.e30.first' };

  beforeEach(() => {
    folder = mkdtempSync(join(tmpdir(), 'artikey-interrupted-'));
    npmrc = join(folder, '.npmrc');
    writeFileSync(npmrc, 'save-exact=true\n');
    record = {
      id: 'acme.jfrog.io',
      name: 'acme',
      platformUrl: 'https://acme.jfrog.io/',
      username: 'alice',
      loginMethod: 'password',
      token: { kind: 'access-token', tokenId: 't1', subject: null, scopes: [], audience: [], issuer: null, issuedAt: null, expiresAt: null, refreshable: true, revocable: true, signature: 'not-checked' },
      tokenLifetimeSeconds: null,
      caFile: null,
      proxy: null,
      addedAt: 0,
      updatedAt: 0,
      revocation: { status: 'active', checkedAt: null },
      refreshError: null,
      targets: [],
      clockOffsetSeconds: 0,
    };
  });
  afterEach(() => rmSync(folder, { recursive: true, force: true }));

  it('records a configure, marked interrupted, before the file changes; done, the mark is gone', async () => {
    const saved: { targets: InstanceRecord['targets']; file: string }[] = [];
    const checkpoint = async (): Promise<void> => {
      saved.push({ targets: structuredClone(record.targets), file: readFileSync(npmrc, 'utf8') });
    };
    await registry.configure(record, spec(), credentials, {}, checkpoint);
    expect(saved).toHaveLength(1);
    expect(saved[0]!.file).toBe('save-exact=true\n');
    expect(saved[0]!.targets).toMatchObject([{ kind: 'npm', path: npmrc, error: { code: WRITE_INTERRUPTED } }]);
    expect(record.targets).toMatchObject([{ kind: 'npm', error: null }]);
    expect(readFileSync(npmrc, 'utf8')).toContain(credentials.token);
  });

  it('a configure killed after its record was saved is finished by the next refresh', async () => {
    const killed = new Error('killed');
    await expect(
      registry.configure(record, spec(), credentials, {}, async () => {
        throw killed;
      }),
    ).rejects.toBe(killed);
    // What the checkpoint would have saved is what the dead process leaves: the record, marked.
    expect(readFileSync(npmrc, 'utf8')).toBe('save-exact=true\n');
    record.targets = [{ ...spec(), path: npmrc, createdFile: false, restore: {}, writtenAt: 1_000, error: { code: WRITE_INTERRUPTED, message: 'stopped', at: 1_000 } }];
    const next = { username: 'alice', token: 'eyJhbGciOiJSUzI1NiJ9.e30.second' };
    expect(await registry.rewriteAll(record, next)).toEqual([]);
    expect(readFileSync(npmrc, 'utf8')).toContain(next.token);
    expect(record.targets[0]!.error).toBeNull();
  });

  it('marks entries being taken out before touching the file, and the next refresh finishes taking them out', async () => {
    await registry.configure(record, spec(), credentials, {}, async () => undefined);
    const marked: string[] = [];
    await registry.remove(record, () => true, async () => {
      marked.push(...record.targets.map((t) => t.error?.code ?? 'none'));
      expect(readFileSync(npmrc, 'utf8')).toContain(credentials.token);
    });
    expect(marked).toEqual([REMOVAL_INTERRUPTED]);
    expect(record.targets).toEqual([]);
    expect(readFileSync(npmrc, 'utf8')).toBe('save-exact=true\n');

    // A removal killed after its mark was saved: the next refresh neither writes the entry back nor
    // leaves the token it replaces (and the server revokes) in the file: it finishes the removal.
    await registry.configure(record, spec(), credentials, {}, async () => undefined);
    record.targets = record.targets.map((t) => ({ ...t, error: { code: REMOVAL_INTERRUPTED, message: 'stopped', at: 1_000 } }));
    expect(await registry.rewriteAll(record, { username: 'alice', token: 'eyJhbGciOiJSUzI1NiJ9.e30.third' })).toEqual([]);
    expect(readFileSync(npmrc, 'utf8')).toBe('save-exact=true\n');
    expect(record.targets).toEqual([]);
  });
});
