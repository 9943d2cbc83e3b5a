import { X509Certificate } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FakeClock } from '../fake-artifactory/clock.js';
import { ADMIN_USER, DEMO_USER } from '../fake-artifactory/directory.js';
import { startFakeArtifactory, type FakeArtifactory } from '../fake-artifactory/server.js';

const basic = (user: string, password: string): string =>
  `Basic ${Buffer.from(`${user}:${password}`).toString('base64')}`;

describe('fake Artifactory: system endpoints', () => {
  let fake: FakeArtifactory;
  let adminToken: string;
  beforeAll(async () => {
    fake = await startFakeArtifactory({
      clock: new FakeClock({ start: Date.UTC(2026, 10, 22), frozen: true }),
    });
    adminToken = fake.issueToken({
      username: ADMIN_USER.name,
      scope: 'applied-permissions/admin',
      expiresIn: 86_400,
    }).jwt;
  });
  afterAll(() => fake.stop());

  it('answers ping anonymously with text OK', async () => {
    for (const path of ['/artifactory/api/system/ping', '/access/api/v1/system/ping']) {
      const res = await fetch(`${fake.url}${path}`);
      expect(res.status).toBe(200);
      expect(res.headers.get('content-type')).toBe('text/plain');
      expect(await res.text()).toBe('OK');
    }
  });

  it('identifies itself the way Artifactory does in headers', async () => {
    const res = await fetch(`${fake.url}/artifactory/api/system/ping`);
    expect(res.headers.get('server')).toMatch(/^Artifactory\/7\./);
    expect(res.headers.get('x-artifactory-id')).toBeTruthy();
    expect(res.headers.get('x-artifactory-node-id')).toBeTruthy();
    expect(new Date(res.headers.get('date') ?? '').getTime()).toBe(Date.UTC(2026, 10, 22));
  });

  it('refuses the version to anonymous callers with anonymous access off (the default), and tells it with credentials', async () => {
    const anonymous = await fetch(`${fake.url}/artifactory/api/system/version`);
    expect(anonymous.status).toBe(401);
    expect(await anonymous.json()).toEqual({ errors: [{ status: 401, message: 'Unauthorized' }] });
    const signedIn = await fetch(`${fake.url}/artifactory/api/system/version`, {
      headers: { authorization: basic(DEMO_USER.name, DEMO_USER.password) },
    });
    expect(signedIn.status).toBe(200);
    expect(await signedIn.json()).toMatchObject({ version: fake.config.artifactoryVersion });
  });

  it('reports the version as JSON, and rejects bad credentials even where anonymous is fine', async () => {
    fake.config.anonymousAccess = true;
    const ok = await fetch(`${fake.url}/artifactory/api/system/version`);
    fake.config.anonymousAccess = false;
    expect(ok.status).toBe(200);
    expect(await ok.json()).toMatchObject({
      version: fake.config.artifactoryVersion,
      revision: expect.any(String),
      license: expect.any(String),
    });
    const bad = await fetch(`${fake.url}/artifactory/api/system/version`, {
      headers: { authorization: basic(DEMO_USER.name, 'wrong') },
    });
    expect(bad.status).toBe(401);
    expect(bad.headers.get('content-type')).toBe('application/json;charset=ISO-8859-1');
    expect(bad.headers.get('www-authenticate')).toBe('Basic realm="Artifactory Realm"');
    expect(await bad.json()).toEqual({ errors: [{ status: 401, message: 'Bad credentials' }] });
  });

  it('serves the root certificate as base64 DER to admins only, matching the token signatures', async () => {
    const anonymous = await fetch(`${fake.url}/access/api/v1/cert/root`);
    expect(anonymous.status).toBe(401);
    expect(await anonymous.json()).toEqual({
      errors: [{ code: 'UNAUTHORIZED', message: 'Unauthorized' }],
    });
    const userToken = fake.issueToken({ username: DEMO_USER.name, expiresIn: 86_400 }).jwt;
    const forbidden = await fetch(`${fake.url}/access/api/v1/cert/root`, {
      headers: { authorization: `Bearer ${userToken}` },
    });
    expect(forbidden.status).toBe(403);
    const res = await fetch(`${fake.url}/access/api/v1/cert/root`, {
      headers: { authorization: `Bearer ${adminToken}` },
    });
    expect(res.status).toBe(200);
    const text = await res.text();
    expect(text).toMatch(/^[A-Za-z0-9+/]+=*$/);
    const cert = new X509Certificate(Buffer.from(text, 'base64'));
    expect(cert.subject).toBe(`CN=JFrog Token Issuer ${fake.accessServiceId}`);
    expect(cert.validTo).toContain('7000');
    const formatted = await fetch(`${fake.url}/access/api/v1/cert/root?formatted=true`, {
      headers: { authorization: `Bearer ${adminToken}` },
    });
    expect(await formatted.text()).toMatch(/^-----BEGIN CERTIFICATE-----\n/);
  });

  it('serves the Artifactory service id to admins as text', async () => {
    const res = await fetch(`${fake.url}/artifactory/api/system/service_id`, {
      headers: { authorization: basic(ADMIN_USER.name, ADMIN_USER.password) },
    });
    expect(res.status).toBe(200);
    expect(await res.text()).toMatch(/^jfrt@01[0-9a-z]{24}$/);
    const user = await fetch(`${fake.url}/artifactory/api/system/service_id`, {
      headers: { authorization: basic(DEMO_USER.name, DEMO_USER.password) },
    });
    expect(user.status).toBe(403);
  });
});
