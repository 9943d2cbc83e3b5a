import { get as httpsGet } from 'node:https';
import { X509Certificate } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FakeArtifactory } from '../fake-artifactory/server.js';
import { startFrozen } from './helpers.js';

const PING = '/artifactory/api/system/ping';

describe('fake Artifactory over TLS', () => {
  let fake: FakeArtifactory;
  beforeAll(async () => {
    fake = await startFrozen({ tls: true });
  });
  afterAll(() => fake.stop());

  const fetchWith = (
    url: string,
    ca?: string,
  ): Promise<{ status: number; body: string } | { error: string }> =>
    new Promise((resolve) => {
      httpsGet(url, ca ? { ca } : {}, (res) => {
        let body = '';
        res.setEncoding('utf8');
        res.on('data', (chunk: string) => (body += chunk));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
      }).on('error', (error: NodeJS.ErrnoException) =>
        resolve({ error: error.code ?? error.message }),
      );
    });

  it('serves HTTPS on 127.0.0.1', () => {
    expect(fake.url).toMatch(/^https:\/\/127\.0\.0\.1:\d+$/);
    expect(fake.tls?.caPem).toMatch(/^-----BEGIN CERTIFICATE-----/);
  });

  it('verifies with the private CA, for 127.0.0.1 and localhost', async () => {
    expect(await fetchWith(`${fake.url}${PING}`, fake.tls?.caPem)).toEqual({
      status: 200,
      body: 'OK',
    });
    expect(await fetchWith(`https://localhost:${fake.port}${PING}`, fake.tls?.caPem)).toEqual({
      status: 200,
      body: 'OK',
    });
  });

  it('fails verification without it', async () => {
    const result = await fetchWith(`${fake.url}${PING}`);
    expect(result).toHaveProperty('error');
    expect((result as { error: string }).error).toMatch(
      /UNABLE_TO_VERIFY_LEAF_SIGNATURE|SELF_SIGNED_CERT_IN_CHAIN|UNABLE_TO_GET_ISSUER_CERT_LOCALLY/,
    );
  });

  it('is signed by that CA, which is not the token-signing root', () => {
    const ca = new X509Certificate(fake.tls?.caPem ?? '');
    const server = new X509Certificate(fake.tls?.certPem ?? '');
    expect(server.verify(ca.publicKey)).toBe(true);
    expect(server.checkIP('127.0.0.1')).toBe('127.0.0.1');
    expect(ca.fingerprint256).not.toBe(
      new X509Certificate(fake.rootCertificate.der).fingerprint256,
    );
  });

  it('plain fetch refuses the untrusted certificate too', async () => {
    await expect(fetch(`${fake.url}${PING}`)).rejects.toThrow();
  });
});
