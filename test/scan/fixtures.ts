import { createCipheriv, createHash, randomBytes } from 'node:crypto';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import type { Environment } from '../../electron/core/paths.js';
import {
  scanCredentials,
  type ScanInstance,
  type ScanReport,
  type ScanTool,
} from '../../electron/core/scan/scan.js';

/** Credential fixtures shaped like the real thing, and a throw-away HOME to put them in. */

const base64url = (value: object): string =>
  Buffer.from(JSON.stringify(value)).toString('base64url');

/** 2030-01-01T00:00:00Z */
export const EXPIRES = 1_893_456_000;

/** A JFrog access token: JFrog's header (key order included), a `jfac@…/users/…` subject. */
export function jfrogJwt(claims: Record<string, unknown>): string {
  const header = {
    ver: '2',
    typ: 'JWT',
    alg: 'RS256',
    kid: 'rEJw6k1YyH0XqEtJ7Qz8m5nq2lV9sZ3aB4cD6eF8gHi',
  };
  return `${base64url(header)}.${base64url(claims)}.${Buffer.from('not-a-real-signature-but-long-enough').toString('base64url')}`;
}

export const ACCESS_TOKEN = jfrogJwt({
  ext: '{"revocable":"true"}',
  sub: 'jfac@01abc/users/alice',
  scp: 'applied-permissions/user',
  aud: '*@*',
  iss: 'jfac@01abc',
  exp: EXPIRES,
  iat: EXPIRES - 86_400 * 365,
  jti: '5f2d0c3e-6a4b-4e1f-9c7d-2b8a1e0f3d4c',
});

/** A JWT of some other issuer: not a JFrog shape. */
export const OTHER_JWT = `${base64url({ alg: 'HS256', typ: 'JWT' })}.${base64url({ sub: 'someone', exp: EXPIRES })}.c2lnbmF0dXJl`;

const alnum = (length: number, seed: string): string => {
  let out = '';
  for (let i = 0; out.length < length; i++)
    out += createHash('sha256')
      .update(`${seed}${i}`)
      .digest('base64')
      .replace(/[^A-Za-z0-9]/g, '');
  return out.slice(0, length);
};

/** `cmVmd` + 59 alphanumerics, not decodable as `reftkn:01:…`. */
export const REFERENCE_TOKEN = `cmVmd${alnum(59, 'reference')}`;

/** base64 of `reftkn:01:<expiry>:<27 chars>`, picked so the base64 has no `+` or `/`. */
export const REFERENCE_WITH_EXPIRY = (() => {
  for (let seed = 0; ; seed++) {
    const token = Buffer.from(`reftkn:01:${EXPIRES}:${alnum(27, `ref${seed}`)}`).toString('base64');
    if (/^cmVmd[A-Za-z0-9]{59}$/.test(token)) return token;
  }
})();

export const API_KEY = `AKCp8${alnum(68, 'api-key')}`;
export const PASSWORD = 'Tr0ub4dor&3-horse';
/** npmjs.org and GitHub tokens: none of Artikey's business. */
export const NPMJS_TOKEN = `npm_${alnum(36, 'npmjs')}`;
export const GITHUB_TOKEN = `ghp_${alnum(36, 'github')}`;

export const fingerprint = (secret: string): string =>
  createHash('sha256').update(secret).digest('hex').slice(0, 12);

export const INSTANCES: ScanInstance[] = [
  { id: 'acme', platformUrl: 'https://acme.jfrog.io/', registryHost: 'acme.jfrog.io' },
  {
    id: 'corp',
    platformUrl: 'https://artifactory.corp.example:8443/',
    registryHost: 'artifactory.corp.example:8443',
  },
];

/** Every secret above, for "never in the output" checks. */
export const ALL_SECRETS = [
  ACCESS_TOKEN,
  OTHER_JWT,
  REFERENCE_TOKEN,
  REFERENCE_WITH_EXPIRY,
  API_KEY,
  PASSWORD,
  NPMJS_TOKEN,
  GITHUB_TOKEN,
];

export const basicAuth = (user: string, secret: string): string =>
  Buffer.from(`${user}:${secret}`).toString('base64');

/** jfrog-cli-core's encryption: base64(12-byte nonce ‖ ciphertext ‖ 16-byte tag), AES-256-GCM. */
export function jfrogEncrypt(plain: string, key: string): string {
  const nonce = randomBytes(12);
  const cipher = createCipheriv('aes-256-gcm', Buffer.from(key, 'utf8'), nonce);
  const sealed = Buffer.concat([cipher.update(plain, 'utf8'), cipher.final()]);
  return Buffer.concat([nonce, sealed, cipher.getAuthTag()]).toString('base64');
}

export interface TempHome {
  home: string;
  path(relative: string): string;
  write(relative: string, text: string): string;
  environment(env?: Record<string, string | undefined>, platform?: NodeJS.Platform): Environment;
  remove(): void;
}

export function tempHome(): TempHome {
  const home = mkdtempSync(join(tmpdir(), 'artikey-scan-'));
  const path = (relative: string): string => join(home, relative);
  return {
    home,
    path,
    write(relative, text) {
      const file = path(relative);
      mkdirSync(dirname(file), { recursive: true });
      writeFileSync(file, text, { mode: 0o600 });
      return file;
    },
    environment: (env = {}, platform = 'linux') => ({ platform, env, home }),
    remove: () => rmSync(home, { recursive: true, force: true }),
  };
}

/** The scan of a temp HOME for the two instances above. */
export const scanHome = (home: TempHome): Promise<ScanReport> =>
  scanCredentials({ environment: home.environment(), instances: INSTANCES });

/** One tool's findings, a row each: file, location, line, URL, user, kind, instance, fingerprint. */
export const foundRows = (report: ScanReport, tool: ScanTool): unknown[][] =>
  report.found
    .filter((c) => c.tool === tool)
    .map((c) => [
      c.file,
      c.location,
      c.line,
      c.url,
      c.username,
      c.kind,
      c.instanceId,
      c.fingerprint,
    ]);
