import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { CONAN_CREDENTIALS, CONAN_REMOTES } from '../targets/conan-files.js';
import { readNamedList } from '../targets/json-named-list.js';
import { credentialFrom, hostOfUrl, type Candidate, type FindContext } from './classify.js';
import { inLineOrder, type Findings } from './findings.js';
import { jsonLines } from './json-lines.js';

/** Where the scan names a remote's password in credentials.json. */
export const conanLocation = (remote: string): string => `credentials[remote=${remote}] password`;

/**
 * Conan 2's credentials.json: each remote's `password`, for the URL remotes.json beside it gives
 * that remote. Conan renders the file as a Jinja template first, so a password that is a
 * template (`{{ os.getenv("CONAN_PW") }}`) holds no secret and is left out.
 */
export function findInConanCredentials(context: FindContext, text: string): Findings {
  const entries = readNamedList(text, CONAN_CREDENTIALS);
  const urls = remoteUrlsBeside(context.file);
  const lineOf = jsonLines(text);
  const candidates: Candidate[] = [];
  entries.forEach((entry, index) => {
    const remote = entry['remote'];
    const password = entry['password'];
    if (typeof remote !== 'string' || typeof password !== 'string') return;
    if (/\{[{%#]/.test(password)) return;
    const url = urls[remote] ?? null;
    candidates.push({
      location: conanLocation(remote),
      line: lineOf(['credentials', index, 'password']),
      url,
      host: url === null ? null : hostOfUrl(url),
      username: typeof entry['user'] === 'string' ? entry['user'] : null,
      secret: password,
    });
  });
  return {
    found: inLineOrder(candidates.map((candidate) => credentialFrom(context, candidate))),
    notes: [],
  };
}

/** Each remote's URL in the remotes.json of the same Conan home (none when it cannot be read). */
export function remoteUrlsBeside(credentialsPath: string): Record<string, string> {
  const urls: Record<string, string> = {};
  try {
    const text = readFileSync(join(dirname(credentialsPath), 'remotes.json'), 'utf8');
    for (const remote of readNamedList(text, CONAN_REMOTES))
      if (typeof remote['name'] === 'string' && typeof remote['url'] === 'string')
        urls[remote['name']] = remote['url'];
  } catch {
    // No remotes.json, or one Conan could not read either: the password stays without a URL.
  }
  return urls;
}
