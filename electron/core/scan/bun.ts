import { basename } from 'node:path';
import { readToml, readTomlDocument } from '../targets/toml-file.js';
import {
  credentialFrom,
  credentialsInUrl,
  hostOfUrl,
  type Candidate,
  type FindContext,
} from './classify.js';
import { inLineOrder, type Findings } from './findings.js';

/**
 * Where a registry's credential lies in `.bunfig.toml`, as the scan reports it and migrate reads
 * it back: `install.registry.token`, `install.scopes["@acme"].password`, `install.registry.url`
 * (a user and password in the URL itself).
 */
export const bunLocation = (scope: string | null, field: 'token' | 'password' | 'url'): string =>
  `${scope === null ? 'install.registry' : `install.scopes[${JSON.stringify(scope)}]`}.${field}`;

/** Bun expands `$NAME` in its configuration (not `${NAME}`, which it sends as written). */
const BUN_REFERENCE = /^\$[A-Za-z_][A-Za-z0-9_]*$/;
export const isBunReference = (value: string): boolean => BUN_REFERENCE.test(value.trim());

const isTable = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

/**
 * Bun's `.bunfig.toml`: `[install] registry` and each `[install.scopes]` entry, each a URL
 * (a user and password in it) or a table with `url` and a `token` (sent as Bearer) or
 * `username` and `password`.
 */
export function findInBunfig(context: FindContext, text: string): Findings {
  const file = basename(context.file);
  const install = readTomlDocument(text, file)['install'];
  if (!isTable(install)) return { found: [], notes: [] };
  const entries: { scope: string | null; table: string[]; key: string; value: unknown }[] = [
    { scope: null, table: ['install'], key: 'registry', value: install['registry'] },
  ];
  const scopes = install['scopes'];
  if (isTable(scopes))
    for (const [scope, value] of Object.entries(scopes))
      entries.push({ scope, table: ['install', 'scopes'], key: scope, value });
  const candidates: Candidate[] = [];
  for (const { scope, table, key, value } of entries) {
    const line = (field?: string): number | null =>
      (field === undefined
        ? readToml(text, table, key, file)
        : (readToml(text, [...table, key], field, file) ?? readToml(text, table, key, file))
      )?.line ?? null;
    const url = typeof value === 'string' ? value : isTable(value) ? value['url'] : undefined;
    if (typeof url !== 'string') continue;
    const base = { url, host: hostOfUrl(url) };
    const inUrl = credentialsInUrl(url);
    if (inUrl !== null)
      candidates.push({
        ...base,
        location: bunLocation(scope, 'url'),
        line: line(typeof value === 'string' ? undefined : 'url'),
        username: inUrl.username,
        secret: inUrl.secret,
        envReference: isBunReference(inUrl.secret),
      });
    if (!isTable(value)) continue;
    for (const field of ['token', 'password'] as const) {
      const secret = value[field];
      if (typeof secret !== 'string') continue;
      const username = value['username'];
      candidates.push({
        ...base,
        location: bunLocation(scope, field),
        line: line(field),
        username: field === 'password' && typeof username === 'string' ? username : null,
        secret,
        envReference: isBunReference(secret),
      });
    }
  }
  return {
    found: inLineOrder(candidates.map((candidate) => credentialFrom(context, candidate))),
    notes: [],
  };
}
