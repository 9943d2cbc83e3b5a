import { readMavenSettings } from '../targets/maven-settings.js';
import { classifySecret } from '../tokens.js';
import {
  credentialFrom,
  decodeBasic,
  hostOfUrl,
  isMavenEncrypted,
  type Candidate,
  type FindContext,
} from './classify.js';
import { inLineOrder, type Findings } from './findings.js';

/**
 * Maven's `settings.xml`: each `<server>`'s password, and a token in an `Authorization` (or
 * `X-JFrog-Art-Api`) HTTP header. The URL comes from the `<mirror>` with the same id, when there
 * is one; `{…}` values are encrypted with Maven's master password and reported as such.
 */
export function findInMavenSettings(context: FindContext, text: string): Findings {
  const settings = readMavenSettings(text);
  const candidates: Candidate[] = [];
  for (const server of settings.servers) {
    const url = settings.mirrors.find((mirror) => mirror.id === server.id)?.url?.trim() || null;
    const at = `servers/server[id=${server.id}]`;
    const base = {
      line: server.line,
      url,
      host: url === null ? null : hostOfUrl(url),
      // JFrog's own `jf mvn-config`/setup names its server ids `artifactory-*`.
      artifactory: /artifactory|jfrog/i.test(server.id),
    };
    const username = server.username?.trim() || null;
    if (server.password !== null) {
      const secret = server.password.trim();
      candidates.push({
        ...base,
        location: `${at}/password`,
        username,
        secret,
        encrypted: isMavenEncrypted(secret),
      });
    }
    for (const [name, raw] of Object.entries(server.headers)) {
      const value = raw.trim();
      const location = `${at}/configuration/httpHeaders/${name}`;
      const scheme = /^(Bearer|Basic)\s+(\S+)$/i.exec(value);
      if (/^authorization$/i.test(name) && scheme?.[2] !== undefined) {
        if (scheme[1]!.toLowerCase() === 'bearer') {
          candidates.push({
            ...base,
            location,
            username,
            secret: scheme[2],
            encrypted: isMavenEncrypted(scheme[2]),
          });
        } else {
          const basic = decodeBasic(scheme[2]);
          if (basic !== null)
            candidates.push({
              ...base,
              location,
              username: basic.username || username,
              secret: basic.secret,
            });
        }
      } else if (/^x-jfrog-art-api$/i.test(name) || classifySecret(value) !== 'unknown') {
        candidates.push({
          ...base,
          location,
          username,
          secret: value,
          encrypted: isMavenEncrypted(value),
        });
      }
    }
  }
  return {
    found: inLineOrder(candidates.map((candidate) => credentialFrom(context, candidate))),
    notes: [],
  };
}
