import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { readToml, readTomlDocument } from '../targets/toml-file.js';
import { credentialFrom, hostOfUrl, type Candidate, type FindContext } from './classify.js';
import { inLineOrder, type Findings } from './findings.js';

const isTable = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

/** The `[repositories.<name>] url`s of the config.toml beside auth.toml, where Poetry keeps both. */
function repositoryUrls(authFile: string): Record<string, unknown> {
  try {
    const config = readTomlDocument(
      readFileSync(join(dirname(authFile), 'config.toml'), 'utf8'),
      'config.toml',
    );
    return isTable(config['repositories']) ? config['repositories'] : {};
  } catch {
    return {};
  }
}

/**
 * Poetry's auth.toml: the `password` of each `[http-basic.<name>]` (written there when no keyring
 * is available, or by hand), for the repository of that name in config.toml beside it.
 */
export function findInPoetryAuth(context: FindContext, text: string): Findings {
  const basic = readTomlDocument(text, 'auth.toml')['http-basic'];
  const candidates: Candidate[] = [];
  if (isTable(basic)) {
    const repositories = repositoryUrls(context.file);
    for (const [name, entry] of Object.entries(basic)) {
      if (!isTable(entry) || typeof entry['password'] !== 'string') continue;
      const repository = repositories[name];
      const url =
        isTable(repository) && typeof repository['url'] === 'string' ? repository['url'] : null;
      candidates.push({
        location: `http-basic.${name}.password`,
        line: readToml(text, ['http-basic', name], 'password', 'auth.toml')?.line ?? null,
        url,
        host: url === null ? null : hostOfUrl(url),
        username: typeof entry['username'] === 'string' ? entry['username'] : null,
        secret: entry['password'],
      });
    }
  }
  return {
    found: inLineOrder(candidates.map((candidate) => credentialFrom(context, candidate))),
    notes: [],
  };
}
