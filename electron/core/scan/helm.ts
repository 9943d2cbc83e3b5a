import { helmReadsPlain } from '../targets/kinds/helm-names.js';
import { readYamlItems, type YamlValue } from '../targets/yaml-file.js';
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

const FIELDS = ['name', 'url', 'username', 'password'] as const;

/**
 * A value as Helm reads it into a string field of `repo.File` (YAML 1.1's implicit types, printed
 * back as Go prints them: `password: 0x1F` is the password "31", `name: yes` the repository
 * "true"); null for no value, a list or a mapping.
 */
function helmText(found: YamlValue | undefined): string | null {
  if (found === undefined || found.value === null) return null;
  if (found.plain) return helmReadsPlain(found.raw);
  return typeof found.value === 'string' ? found.value : null;
}

/**
 * Helm's `repositories.yaml`: each classic chart repository's `password`, with its `username` and
 * `url`. Helm reads the values as they are: a `${VAR}` there is no reference but the password it
 * sends (checked with helm 3.17: Basic `user:${PW}`).
 */
export function findInHelmRepositories(context: FindContext, body: string): Findings {
  const file = context.file;
  const items = readYamlItems(body, ['repositories'], FIELDS, file);
  const candidates: Candidate[] = [];
  const seen = new Set<string>();
  for (const item of items) {
    const name = helmText(item.name);
    // Helm uses the first entry of a name; a later one is never read.
    if (name === null || seen.has(name)) continue;
    seen.add(name);
    const password = item.password;
    const secret = helmText(password);
    if (password === undefined || secret === null) continue;
    const url = helmText(item.url);
    candidates.push({
      location: helmRepositoryLocation(name),
      line: password.line,
      url: url === null ? null : withoutCredentials(url),
      host: url === null ? null : hostOfUrl(url),
      username: helmText(item.username) || null,
      secret,
      literal: true,
    });
  }
  return {
    found: inLineOrder(candidates.map((candidate) => credentialFrom(context, candidate))),
    notes: [],
  };
}
