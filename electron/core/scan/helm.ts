import { readYaml } from '../targets/yaml-file.js';
import {
  credentialFrom,
  hostOfUrl,
  withoutCredentials,
  type Candidate,
  type FindContext,
} from './classify.js';
import { inLineOrder, type Findings } from './findings.js';

/** Where a repository's password lies in `repositories.yaml`, as the scan reports it and migrate reads it back. */
export const helmRepositoryLocation = (name: string): string =>
  `repositories[name=${JSON.stringify(name)}].password`;

const text = (value: unknown): string | null => (typeof value === 'string' ? value : null);

/**
 * Helm's `repositories.yaml`: each classic chart repository's `password`, with its `username` and
 * `url`. Helm reads the values as they are: a `${VAR}` there is no reference but the password it
 * sends (checked with helm 3.17: Basic `user:${PW}`).
 */
export function findInHelmRepositories(context: FindContext, body: string): Findings {
  const file = context.file;
  const list = readYaml(body, ['repositories'], file)?.value;
  const candidates: Candidate[] = [];
  const seen = new Set<string>();
  for (const entry of Array.isArray(list) ? (list as unknown[]) : []) {
    if (typeof entry !== 'object' || entry === null) continue;
    const fields = entry as Record<string, unknown>;
    const name = text(fields['name']);
    // Helm uses the first entry of a name; a later one is never read.
    if (name === null || seen.has(name)) continue;
    seen.add(name);
    const password = readYaml(body, ['repositories', { key: 'name', is: name }, 'password'], file);
    if (password === undefined || typeof password.value !== 'string') continue;
    const url = text(fields['url']);
    candidates.push({
      location: helmRepositoryLocation(name),
      line: password.line,
      url: url === null ? null : withoutCredentials(url),
      host: url === null ? null : hostOfUrl(url),
      username: text(fields['username']) || null,
      secret: password.value,
      literal: true,
    });
  }
  return {
    found: inLineOrder(candidates.map((candidate) => credentialFrom(context, candidate))),
    notes: [],
  };
}
