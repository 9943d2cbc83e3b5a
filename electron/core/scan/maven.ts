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
 * `X-JFrog-Art-Api`) HTTP header, on the line of the secret itself. The URL comes from the
 * `<mirror>` with the same id, else from a profile's `<repository>` or `<pluginRepository>` of
 * that id (Maven logs in to either with the server's credentials); `{…}` values are encrypted with
 * Maven's master password and reported as such. Only settings are read: a project's pom.xml
 * holds no credentials.
 */
export function findInMavenSettings(context: FindContext, text: string): Findings {
  const settings = readMavenSettings(text);
  const candidates: Candidate[] = [];
  for (const server of settings.servers) {
    const url =
      [...settings.mirrors, ...settings.repositories]
        .find((entry) => entry.id === server.id && entry.url?.trim())
        ?.url?.trim() ?? null;
    const at = `servers/server[id=${server.id}]`;
    const base = {
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
        line: server.passwordLine,
        location: `${at}/password`,
        username,
        secret,
        encrypted: isMavenEncrypted(secret),
      });
    }
    for (const [name, raw] of Object.entries(server.headers)) {
      const value = raw.trim();
      const location = `${at}/configuration/httpHeaders/${name}`;
      const line = server.headerLines[name] ?? server.line;
      const scheme = /^(Bearer|Basic)\s+(\S+)$/i.exec(value);
      if (/^authorization$/i.test(name) && scheme?.[2] !== undefined) {
        if (scheme[1]!.toLowerCase() === 'bearer') {
          candidates.push({
            ...base,
            line,
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
              line,
              location,
              username: basic.username || username,
              secret: basic.secret,
            });
        }
      } else if (/^x-jfrog-art-api$/i.test(name) || classifySecret(value) !== 'unknown') {
        candidates.push({
          ...base,
          line,
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
