import { isNuGetReference, readNuGetConfig } from '../targets/nuget-config.js';
import { credentialFrom, hostOfUrl, type Candidate, type FindContext } from './classify.js';
import { inLineOrder, type Findings } from './findings.js';

/**
 * NuGet's NuGet.Config: each source's `packageSourceCredentials`, its `ClearTextPassword` on the
 * line of its `<add>`, with the URL of the source of that name. `%NAME%` is read from the
 * environment (NuGet 3.4 and later), so such a value is a reference, not a secret. `Password` is
 * NuGet's encrypted form (Windows DPAPI, readable only by its user on its machine): reported as
 * encrypted, never read.
 */
export function findInNuGetConfig(context: FindContext, text: string): Findings {
  const { sources, credentials } = readNuGetConfig(text);
  const candidates: Candidate[] = [];
  for (const entry of credentials) {
    const url =
      sources.find((s) => s.name.toLowerCase() === entry.name.toLowerCase())?.url.trim() || null;
    const base = {
      url,
      host: url === null ? null : hostOfUrl(url),
      username: entry.username?.trim() || null,
    };
    const at = `packageSourceCredentials/${entry.name}`;
    if (entry.clearTextPassword !== null)
      candidates.push({
        ...base,
        location: `${at}/ClearTextPassword`,
        line: entry.clearTextPassword.line,
        secret: entry.clearTextPassword.value.trim(),
        envReference: isNuGetReference(entry.clearTextPassword.value),
      });
    if (entry.password !== null)
      candidates.push({
        ...base,
        location: `${at}/Password`,
        line: entry.password.line,
        secret: entry.password.value.trim(),
        encrypted: true,
      });
  }
  return {
    found: inLineOrder(candidates.map((candidate) => credentialFrom(context, candidate))),
    notes: [],
  };
}
