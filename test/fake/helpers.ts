/** Small helpers shared by the spec tests of the fake Artifactory (plain fetch, no client code). */
import { FakeClock } from '../fake-artifactory/clock.js';
import { defaultConfig, type FakeConfig } from '../fake-artifactory/config.js';
import { ADMIN_USER, DEMO_USER } from '../fake-artifactory/directory.js';
import {
  startFakeArtifactory,
  type FakeArtifactory,
  type FakeArtifactoryOptions,
} from '../fake-artifactory/server.js';

/** The frozen "now" of every spec test: 2026-11-22 12:00 UTC. */
export const NOW = Date.UTC(2026, 10, 22, 12);
export const NOW_S = NOW / 1000;

export const basic = (user: string, secret: string): string =>
  `Basic ${Buffer.from(`${user}:${secret}`).toString('base64')}`;
export const bearer = (token: string): string => `Bearer ${token}`;
export const ALICE = basic(DEMO_USER.name, DEMO_USER.password);
export const ADMIN = basic(ADMIN_USER.name, ADMIN_USER.password);
export const BOB = basic('bob', 'bob-demo-password');

/**
 * The knob of a server whose admin enabled token generation via the API with Basic auth. The spec
 * tests of the token API mint their first tokens with user:password, as such a server allows; the
 * strict default's refusal is pinned in access-tokens.test.ts.
 */
export const BASIC_TOKEN_CREATION: Partial<FakeConfig> = { allowBasicAuthTokenCreation: true };

/** A fake on port 0 whose clock stands still at NOW. */
export const startFrozen = (
  options: Omit<FakeArtifactoryOptions, 'clock'> = {},
): Promise<FakeArtifactory> =>
  startFakeArtifactory({ ...options, clock: new FakeClock({ start: NOW, frozen: true }) });

/** Puts every knob and the clock back, for afterEach. */
export function reset(fake: FakeArtifactory, config: Partial<FakeConfig> = {}): void {
  Object.assign(fake.config, defaultConfig(), config);
  fake.clock.set(NOW);
  fake.faults.clear();
}

export type Body = Record<string, unknown>;

/** POST /access/api/v1/tokens with a JSON body, or a form body when `form` is set. */
export function postTokens(
  fake: FakeArtifactory,
  authorization: string | undefined,
  body: Body,
  form = false,
): Promise<Response> {
  return fetch(`${fake.url}/access/api/v1/tokens`, {
    method: 'POST',
    headers: {
      ...(authorization ? { authorization } : {}),
      'content-type': form ? 'application/x-www-form-urlencoded' : 'application/json',
    },
    body: form ? formBody(body) : JSON.stringify(body),
  });
}

export const formBody = (body: Body): string =>
  new URLSearchParams(
    Object.entries(body).map(([k, v]): [string, string] => [k, String(v)]),
  ).toString();

/** POST a form, as the legacy token API and the login page want. */
export function postForm(
  fake: FakeArtifactory,
  path: string,
  authorization: string | undefined,
  body: Body,
): Promise<Response> {
  return fetch(`${fake.url}${path}`, {
    method: 'POST',
    headers: {
      ...(authorization ? { authorization } : {}),
      'content-type': 'application/x-www-form-urlencoded',
    },
    body: formBody(body),
  });
}

/** The keys of a refreshable Access token response, sorted. */
export const REFRESHABLE_RESPONSE_KEYS = [
  'access_token',
  'expires_in',
  'refresh_token',
  'scope',
  'token_id',
  'token_type',
];

export interface TokenResponse {
  token_id: string;
  access_token: string;
  refresh_token?: string;
  expires_in?: number;
  scope: string;
  token_type: string;
  reference_token?: string;
}

/** Creates a token and insists on 200. */
export async function createToken(
  fake: FakeArtifactory,
  authorization: string,
  body: Body = {},
  form = false,
): Promise<TokenResponse> {
  const res = await postTokens(fake, authorization, body, form);
  if (res.status !== 200) throw new Error(`create token: ${res.status} ${await res.text()}`);
  return (await res.json()) as TokenResponse;
}

export const get = (
  fake: FakeArtifactory,
  path: string,
  authorization?: string,
  init: RequestInit = {},
): Promise<Response> =>
  fetch(`${fake.url}${path}`, {
    ...init,
    headers: {
      ...(authorization ? { authorization } : {}),
      ...(init.headers as Record<string, string> | undefined),
    },
  });

export const json = async (res: Response): Promise<Body> => (await res.json()) as Body;

/** The decoded JWT header and payload, and the raw payload JSON as it was signed. */
export function decodeJwt(jwt: string): {
  header: Body;
  rawHeader: string;
  payload: Body;
  rawPayload: string;
} {
  const [h = '', p = ''] = jwt.split('.');
  const rawHeader = Buffer.from(h, 'base64url').toString('utf8');
  const rawPayload = Buffer.from(p, 'base64url').toString('utf8');
  return {
    header: JSON.parse(rawHeader) as Body,
    rawHeader,
    payload: JSON.parse(rawPayload) as Body,
    rawPayload,
  };
}

/** The Access error body: `{"errors":[{"code","message"}]}`. */
export const accessError = (code: string, message: string): Body => ({
  errors: [{ code, message }],
});
/** The Artifactory error body: `{"errors":[{"status","message"}]}` with a numeric status. */
export const artifactoryError = (status: number, message: string): Body => ({
  errors: [{ status, message }],
});

/** Requests are recorded when their response closes; wait until every one has a status. */
export async function settled(fake: FakeArtifactory): Promise<void> {
  await waitFor(() => fake.requests.list().every((r) => r.status !== 0 || r.fault !== null));
}

/** Polls a condition for up to a second (the fake updates its records after responses close). */
export async function waitFor(condition: () => boolean): Promise<void> {
  for (let i = 0; i < 200 && !condition(); i++)
    await new Promise((resolve) => setTimeout(resolve, 5));
}
