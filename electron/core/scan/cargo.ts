import { readFileSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { readToml, readTomlDocument } from '../targets/toml-file.js';
import { credentialFrom, hostOfUrl, type Candidate, type FindContext } from './classify.js';
import { inLineOrder, type Findings } from './findings.js';

/**
 * Cargo's credentials (and config, where Cargo reads a token too): each registry's
 * `[registries.<name>] token`, crates.io's `[registry] token`, and the top-level `token` of the
 * old `credentials` file. A token is an Authorization value, so Artifactory's carries `Bearer `,
 * which is not part of the secret. A registry's URL is its `index`, from this file or the config
 * beside it.
 */
export function findInCargoFile(context: FindContext, text: string): Findings {
  const file = basename(context.file);
  const document = readTomlDocument(text, file);
  const places: { table: string[]; location: string; url: string | null }[] = [
    { table: [], location: 'token', url: null },
    { table: ['registry'], location: 'registry.token', url: null },
  ];
  const registries = document['registries'];
  if (typeof registries === 'object' && registries !== null) {
    const indexes = { ...indexesBeside(context.file), ...indexesIn(document) };
    for (const name of Object.keys(registries))
      places.push({
        table: ['registries', name],
        location: `registries.${name}.token`,
        url: indexes[name] ?? null,
      });
  }
  const candidates: Candidate[] = [];
  for (const place of places) {
    const found = readToml(text, place.table, 'token', file);
    if (found === undefined || typeof found.value !== 'string') continue;
    const host = place.url === null ? null : hostOfUrl(place.url.replace(/^sparse\+/, ''));
    candidates.push({
      location: place.location,
      line: found.line,
      url: place.url,
      host,
      username: null,
      secret: found.value.replace(/^Bearer\s+/i, '').trim(),
    });
  }
  return {
    found: inLineOrder(candidates.map((candidate) => credentialFrom(context, candidate))),
    notes: [],
  };
}

/** Each registry's `index` in a Cargo document. */
function indexesIn(document: Record<string, unknown>): Record<string, string> {
  const registries = document['registries'];
  const indexes: Record<string, string> = {};
  if (typeof registries !== 'object' || registries === null) return indexes;
  for (const [name, table] of Object.entries(registries))
    if (typeof table === 'object' && table !== null) {
      const index = (table as Record<string, unknown>)['index'];
      if (typeof index === 'string') indexes[name] = index;
    }
  return indexes;
}

/** The indexes of the config files in the same Cargo home (an unreadable or invalid one gives none). */
function indexesBeside(path: string): Record<string, string> {
  const indexes: Record<string, string> = {};
  for (const name of ['config.toml', 'config']) {
    const config = join(dirname(path), name);
    if (config === path) continue;
    try {
      Object.assign(indexes, indexesIn(readTomlDocument(readFileSync(config, 'utf8'), name)));
    } catch {
      // No config there, or one Cargo could not read either: the token stays without a URL.
    }
  }
  return indexes;
}
