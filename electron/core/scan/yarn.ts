import { readYaml } from '../targets/yaml-file.js';
import {
  credentialFrom,
  decodeBasic,
  hostOfUrl,
  isEnvReference,
  type Candidate,
  type FindContext,
} from './classify.js';
import { inLineOrder, type Findings } from './findings.js';

const FIELDS = ['npmAuthToken', 'npmAuthIdent'] as const;

/** Where a registry's credential lies in `.yarnrc.yml`, as the scan reports it and migrate reads it back. */
export const yarnRegistryLocation = (key: string, field: string): string =>
  `npmRegistries[${JSON.stringify(key)}].${field}`;

const asMap = (value: unknown): Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value)
    ? (value as Record<string, unknown>)
    : {};

/**
 * Yarn Berry's `.yarnrc.yml`: `npmAuthToken` (sent as a Bearer token) and `npmAuthIdent`
 * (`user:password`, or that in base64) per registry under `npmRegistries`, per scope under
 * `npmScopes` (for the scope's `npmRegistryServer`), and at the top level (for `npmRegistryServer`).
 */
export function findInYarnrc(context: FindContext, text: string): Findings {
  const file = context.file;
  const root = asMap(readYaml(text, [], file)?.value);
  const server = typeof root['npmRegistryServer'] === 'string' ? root['npmRegistryServer'] : null;
  const places: { at: string[]; location: (field: string) => string; url: string | null }[] = [
    { at: [], location: (field) => field, url: server },
  ];
  for (const key of Object.keys(asMap(root['npmRegistries'])))
    places.push({
      at: ['npmRegistries', key],
      location: (field) => yarnRegistryLocation(key, field),
      url: key,
    });
  for (const [scope, settings] of Object.entries(asMap(root['npmScopes']))) {
    const own = asMap(settings)['npmRegistryServer'];
    places.push({
      at: ['npmScopes', scope],
      location: (field) => `npmScopes.${scope}.${field}`,
      url: typeof own === 'string' ? own : server,
    });
  }
  const candidates: Candidate[] = [];
  for (const { at, location, url } of places)
    for (const field of FIELDS) {
      const found = readYaml(text, [...at, field], file);
      if (found === undefined || typeof found.value !== 'string') continue;
      const value = found.value.trim();
      const base = {
        location: location(field),
        line: found.line,
        url,
        host: url === null ? null : hostOfUrl(url),
      };
      if (field === 'npmAuthToken' || isEnvReference(value)) {
        candidates.push({ ...base, username: null, secret: value });
        continue;
      }
      // Yarn sends an ident with a colon as user:password, one without as already base64.
      const colon = value.indexOf(':');
      const basic =
        colon >= 0
          ? { username: value.slice(0, colon), secret: value.slice(colon + 1) }
          : decodeBasic(value);
      if (basic !== null)
        candidates.push({ ...base, username: basic.username || null, secret: basic.secret });
    }
  return {
    found: inLineOrder(candidates.map((candidate) => credentialFrom(context, candidate))),
    notes: [],
  };
}
