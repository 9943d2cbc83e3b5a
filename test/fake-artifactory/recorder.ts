import { createHash } from 'node:crypto';
import type { AuthResult } from './auth.js';

export type AuthScheme = 'Bearer' | 'Basic' | 'ApiKey' | null;
export type CredentialKind =
  | 'access-token'
  | 'reference-token'
  | 'api-key'
  | 'password'
  | 'registry-token'
  | 'refresh-pair'
  | 'invalid'
  | null;

/** One request as the fake saw it. Holds no secret: tokens appear only as id or fingerprint. */
export interface RequestRecord {
  seq: number;
  time: number;
  method: string;
  path: string;
  query: string;
  scheme: AuthScheme;
  credential: CredentialKind;
  user: string | null;
  tokenId: string | null;
  /** fingerprint() of the secret presented, so a test can tell which token was used. */
  secret: string | null;
  userAgent: string | null;
  status: number;
  fault: string | null;
}

/** A short, one-way tag for a secret: tests compare it; nobody can recover the secret from it. */
export const fingerprint = (secret: string): string => createHash('sha256').update(secret).digest('hex').slice(0, 12);

export class RequestLog {
  readonly #records: RequestRecord[] = [];
  #seq = 0;

  start(method: string, url: URL, userAgent: string | undefined, time: number): RequestRecord {
    const record: RequestRecord = {
      seq: ++this.#seq,
      time,
      method,
      path: url.pathname,
      query: redactQuery(url.search),
      scheme: null,
      credential: null,
      user: null,
      tokenId: null,
      secret: null,
      userAgent: userAgent ?? null,
      status: 0,
      fault: null,
    };
    this.#records.push(record);
    return record;
  }

  /** Requests recorded so far, optionally filtered; a copy, so callers may keep it. */
  list(filter?: { method?: string; path?: string | RegExp }): RequestRecord[] {
    return this.#records
      .filter((r) => !filter?.method || r.method === filter.method)
      .filter((r) => {
        const path = filter?.path;
        if (path === undefined) return true;
        return typeof path === 'string' ? r.path === path : path.test(r.path);
      })
      .map((r) => ({ ...r }));
  }

  clear(): void {
    this.#records.length = 0;
  }
}

/**
 * Notes who called. A failed caller's name is kept only when it names a known user: people paste
 * tokens, API keys and passwords into the username slot too, and those must not reach the log.
 */
export function noteCaller(record: RequestRecord, result: AuthResult, isUser: (name: string) => boolean): void {
  record.scheme = result.scheme;
  record.secret = result.secret === null ? null : fingerprint(result.secret);
  if (result.ok) {
    record.credential = result.caller?.kind ?? null;
    record.user = result.caller?.user.name ?? null;
    record.tokenId = result.caller?.token?.id ?? null;
  } else {
    record.credential = 'invalid';
    record.user = result.user !== null && isUser(result.user) ? result.user : null;
  }
}

/** A one-line access log entry, safe to print: no secret reaches it. */
export function formatRecord(record: RequestRecord): string {
  const who = record.user ? ` ${record.scheme ?? ''} ${record.credential ?? ''} user=${record.user}` : record.scheme ? ` ${record.scheme} ${record.credential ?? ''}` : '';
  const fault = record.fault ? ` fault=${record.fault}` : '';
  return `${record.method} ${record.path}${record.query} -> ${record.status}${who}${fault}`;
}

/** Query strings can carry secrets (`?token=…`); keep the names, hide the values of sensitive ones. */
function redactQuery(query: string): string {
  if (!query) return '';
  const params = new URLSearchParams(query);
  for (const key of [...params.keys()]) {
    if (/token|password|secret|key|auth/i.test(key)) params.set(key, '***');
  }
  return `?${params.toString()}`.replace(/%2A/g, '*');
}
