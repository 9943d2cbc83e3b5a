import { describe, expect, it } from 'vitest';
import type { FoundCredential } from '../../electron/ipc/contract.js';
import { serversToLogIn } from '../../renderer/src/lib/servers-to-log-in.js';

type Found = Pick<FoundCredential, 'instanceId' | 'url' | 'host' | 'kind'>;
const found = (url: string | null, host: string | null, more: Partial<Found> = {}): Found => ({
  instanceId: null,
  url,
  host,
  kind: 'api-key',
  ...more,
});

describe('servers the Migrate screen offers to log in to', () => {
  it("reads each file's way of naming a server: a URL, npm's //host/path/, a bare host and host:port", () => {
    expect(
      serversToLogIn([
        found('https://acme.jfrog.io/artifactory/api/pypi/pypi/simple/', 'acme.jfrog.io'),
        found('//npm.example.com/artifactory/api/npm/npm/', 'npm.example.com'),
        found('nexus.example.com', 'nexus.example.com'),
        found('localhost:8081', 'localhost:8081'),
        found('http://127.0.0.1:8082/artifactory', '127.0.0.1:8082'),
      ]),
    ).toEqual([
      'https://acme.jfrog.io',
      'https://npm.example.com',
      'https://nexus.example.com',
      'https://localhost:8081',
      'http://127.0.0.1:8082',
    ]);
  });

  it('names each server once, and leaves out known instances, references, encrypted values and credentials for no server', () => {
    expect(
      serversToLogIn([
        found('//acme.jfrog.io/artifactory/api/npm/npm/', 'acme.jfrog.io'),
        found('https://acme.jfrog.io/artifactory', 'acme.jfrog.io'),
        found('https://known.jfrog.io', 'known.jfrog.io', { instanceId: 'known' }),
        found('https://ref.jfrog.io', 'ref.jfrog.io', { kind: 'env-reference' }),
        found('https://enc.jfrog.io', 'enc.jfrog.io', { kind: 'encrypted' }),
        found(null, null),
      ]),
    ).toEqual(['https://acme.jfrog.io']);
  });
});
