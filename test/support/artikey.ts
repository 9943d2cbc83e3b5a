import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Artikey, type ArtikeyOptions } from '../../electron/core/artikey.js';
import { createHttpClient } from '../../electron/core/http.js';
import { Vault } from '../../electron/core/vault.js';
import type { FakeArtifactory } from '../fake-artifactory/server.js';
import { realKeychain } from './keychain.js';

export interface TestArtikey {
  artikey: Artikey;
  home: string;
  stateFile: string;
  vault: Vault;
  logs: string[];
  cleanup(): void;
}

/** The real core on a temp HOME and a throwaway keychain service, on the fake's clock. */
export function testArtikey(fake: FakeArtifactory, options: Partial<ArtikeyOptions> = {}): TestArtikey {
  const home = mkdtempSync(join(tmpdir(), 'artikey-home-'));
  const stateFile = join(home, '.config', 'artikey', 'state.json');
  const vault = new Vault(realKeychain());
  const logs: string[] = [];
  const artikey = new Artikey({
    stateFile,
    vault,
    httpFor: () => Promise.resolve(createHttpClient({ env: {}, sleep: () => Promise.resolve(), ...(fake.tls ? { extraCa: fake.tls.caPem } : {}) })),
    now: () => fake.clock.now(),
    sleep: () => Promise.resolve(),
    logger: { info: (m) => logs.push(m), warn: (m) => logs.push(m), error: (m) => logs.push(m) },
    // Its tool files are in the temp HOME, never the real one (the backup sweep looks there).
    environment: { platform: process.platform, env: {}, home },
    ...options,
  });
  return { artikey, home, stateFile, vault, logs, cleanup: () => rmSync(home, { recursive: true, force: true }) };
}
