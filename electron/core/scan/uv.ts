import { basename } from 'node:path';
import { readToml, readTomlDocument, type TomlTable } from '../targets/toml-file.js';
import {
  credentialFrom,
  credentialsInUrl,
  hostOfUrl,
  type Candidate,
  type FindContext,
} from './classify.js';
import { inLineOrder, type Findings } from './findings.js';

/** Where a named `[[index]]`'s URL lies in uv.toml, as the scan reports it and migrate reads it back. */
export const uvIndexLocation = (name: string): string => `index[${JSON.stringify(name)}].url`;

/**
 * uv's `uv.toml`: credentials written into an index URL (`https://user:token@host/…`), in each
 * `[[index]]` and in the older `index-url` and `extra-index-url`, top level or under `[pip]`.
 */
export function findInUvConfig(context: FindContext, text: string): Findings {
  const file = basename(context.file);
  const document = readTomlDocument(text, file);
  const places: { table: TomlTable; key: string; location: string; url: unknown }[] = [];
  const indexes = Array.isArray(document['index']) ? (document['index'] as unknown[]) : [];
  indexes.forEach((entry, position) => {
    if (typeof entry !== 'object' || entry === null) return;
    const { name, url } = entry as Record<string, unknown>;
    if (typeof url !== 'string') return;
    const named = typeof name === 'string';
    places.push({
      table: ['index', named ? { key: 'name', is: name } : { key: 'url', is: url }],
      key: 'url',
      location: named ? uvIndexLocation(name) : `index[${position + 1}].url`,
      url,
    });
  });
  const pip = document['pip'];
  for (const [table, values] of [
    [[], document],
    [['pip'], typeof pip === 'object' && pip !== null ? pip : {}],
  ] as [string[], Record<string, unknown>][])
    for (const key of ['index-url', 'extra-index-url']) {
      const value = values[key];
      for (const url of Array.isArray(value) ? value : [value])
        places.push({ table, key, location: [...table, key].join('.'), url });
    }
  const candidates: Candidate[] = [];
  for (const { table, key, location, url } of places) {
    if (typeof url !== 'string') continue;
    const inUrl = credentialsInUrl(url);
    if (inUrl === null) continue;
    candidates.push({
      location,
      line: readToml(text, table, key, file)?.line ?? null,
      url,
      host: hostOfUrl(url),
      username: inUrl.username,
      secret: inUrl.secret,
    });
  }
  return {
    found: inLineOrder(candidates.map((candidate) => credentialFrom(context, candidate))),
    notes: [],
  };
}
