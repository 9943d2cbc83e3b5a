import { readProperties } from '../targets/java-properties.js';
import { credentialFrom, type Candidate, type FindContext } from './classify.js';
import { inLineOrder, type Findings } from './findings.js';

/** The names sbt's `Credentials.loadCredentials` reads, first present first (sbt CredentialUtils). */
const HOST_KEYS = ['host', 'hostname'];
const USER_KEYS = ['user', 'user.name', 'username'];
const PASSWORD_KEYS = ['password', 'pwd', 'pass', 'passwd'];

/**
 * An sbt credentials file (java.util.Properties, as sbt loads it): its password under any of
 * sbt's names, with the host it is for (Ivy sends it to that host name, any port) and the user.
 */
export function findInSbtCredentials(context: FindContext, text: string): Findings {
  // Properties.load keeps the last of a repeated key: the one entry per key sbt sees.
  const byKey = new Map(readProperties(text).map((e) => [e.key, e]));
  const entries = [...byKey.values()];
  const first = (keys: string[]): string | null =>
    keys.map((key) => byKey.get(key)?.value.trim()).find((v) => v) ?? null;
  const host = first(HOST_KEYS);
  const candidates: Candidate[] = entries
    .filter((e) => PASSWORD_KEYS.includes(e.key) && e.value.trim() !== '')
    .map((e) => ({
      location: e.key,
      line: e.line,
      url: host === null ? null : `https://${host}/`,
      host: host === null ? null : host.toLowerCase(),
      username: first(USER_KEYS),
      secret: e.value.trim(),
      artifactory: /artifactory/i.test(first(['realm']) ?? ''),
    }));
  return { found: inLineOrder(candidates.map((c) => credentialFrom(context, c))), notes: [] };
}
