import { readProperties, type PropertyEntry } from '../targets/java-properties.js';
import { credentialFrom, hostOfUrl, type Candidate, type FindContext } from './classify.js';
import { inLineOrder, type Findings } from './findings.js';

/** A property that holds a secret: `artifactory_password`, `artifactoryApiKey`, `repoToken`… */
const SECRET_KEY = /password|token|api_?key/i;
const USER_SUFFIXES = ['user', 'username', 'login'];
const URL_KEY = /(context_?url|url)$/i;

/**
 * `gradle.properties`: a password, token or API key property, with the user and URL properties
 * of the same prefix (`artifactory_user`/`artifactory_password`/`artifactory_contextUrl` is
 * JFrog's own setup; `artifactoryUser`/`artifactoryPassword` is common too).
 */
export function findInGradleProperties(context: FindContext, text: string): Findings {
  const properties = new Map<string, PropertyEntry>();
  // Java's Properties keeps the last value of a repeated key.
  for (const entry of readProperties(text)) properties.set(entry.key, entry);
  const byLowerKey = new Map<string, PropertyEntry>();
  for (const entry of properties.values()) byLowerKey.set(entry.key.toLowerCase(), entry);
  const candidates: Candidate[] = [];
  for (const entry of properties.values()) {
    const match = SECRET_KEY.exec(entry.key);
    if (match === null || URL_KEY.test(entry.key)) continue;
    const prefix = entry.key.slice(0, match.index).toLowerCase();
    const username =
      USER_SUFFIXES.map((suffix) => byLowerKey.get(`${prefix}${suffix}`))
        .find((user) => user !== undefined)
        ?.value.trim() || null;
    const url = urlFor(prefix, [...properties.values()]);
    candidates.push({
      location: entry.key,
      line: entry.line,
      url,
      host: url === null ? null : hostOfUrl(url),
      username,
      secret: entry.value.trim(),
      artifactory: /artifactory/i.test(entry.key),
    });
  }
  return {
    found: inLineOrder(candidates.map((candidate) => credentialFrom(context, candidate))),
    notes: [],
  };
}

/** The URL property of the same prefix (`artifactory_` first, then `artifactory`); a context URL first. */
function urlFor(prefix: string, properties: PropertyEntry[]): string | null {
  const urls = (start: string): PropertyEntry[] =>
    properties.filter((entry) => {
      const key = entry.key.toLowerCase();
      return (
        key.startsWith(start) &&
        URL_KEY.test(key) &&
        !SECRET_KEY.test(key) &&
        /^[a-z][a-z0-9+.-]*:\/\//i.test(entry.value.trim())
      );
    });
  const exact = urls(prefix);
  const candidates = exact.length > 0 ? exact : urls(prefix.replace(/[_.-]$/, ''));
  const chosen = candidates.find((entry) => /context_?url$/i.test(entry.key)) ?? candidates[0];
  return chosen === undefined ? null : chosen.value.trim();
}
