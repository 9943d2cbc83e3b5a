import { basename } from 'node:path';
import { jsonErrorPlace, scanJsonObject } from '../targets/json-members.js';
import { credentialsBlocks } from '../targets/terraform-credentials.js';
import { ToolFileError } from '../targets/tool-file.js';
import { lineAt } from '../targets/text-lines.js';
import { credentialFrom, type Candidate, type FindContext } from './classify.js';
import { inLineOrder, type Findings } from './findings.js';

/** The file `terraform login` writes: `{"credentials": {"<host>": {"token": "…"}}}`. */
export const CREDENTIALS_FILE = 'credentials.tfrc.json';

/**
 * Terraform's tokens: each `credentials "<host>" { token = "…" }` of the CLI configuration, and
 * each host's token in credentials.tfrc.json. Terraform sends them as Bearer to the host's
 * registry (https://<host>/), so the host is the URL.
 */
export function findInTerraformFile(context: FindContext, text: string): Findings {
  const candidates: Candidate[] =
    basename(context.file) === CREDENTIALS_FILE
      ? inCredentialsFile(text)
      : credentialsBlocks(text).flatMap(({ host, found }) =>
          found.token?.text
            ? [
                candidate(
                  `credentials "${host}" token`,
                  lineAt(text, found.token.start),
                  host,
                  found.token.text,
                ),
              ]
            : [],
        );
  return {
    found: inLineOrder(candidates.map((c) => credentialFrom(context, c))),
    notes: [],
  };
}

function inCredentialsFile(text: string): Candidate[] {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (error) {
    throw new ToolFileError(
      'tool-file-invalid',
      `${CREDENTIALS_FILE} is not valid JSON${jsonErrorPlace(text, error)}.`,
    );
  }
  const hosts = (parsed as { credentials?: unknown } | null)?.credentials;
  if (typeof hosts !== 'object' || hosts === null) return [];
  const credentials = scanJsonObject(text).members.find((m) => m.key === 'credentials')?.object;
  return Object.entries(hosts as Record<string, unknown>).flatMap(([host, entry]) => {
    const token = (entry as { token?: unknown } | null)?.token;
    if (typeof token !== 'string') return [];
    const member = credentials?.members
      .find((m) => m.key === host)
      ?.object?.members.find((m) => m.key === 'token');
    const line = member === undefined ? null : lineAt(text, member.start);
    return [candidate(`credentials "${host}" token`, line, host, token)];
  });
}

/** A host as Terraform compares them (svchost): without case, without the default port 443. */
const forComparison = (host: string): string => host.toLowerCase().replace(/:443$/, '');

const candidate = (
  location: string,
  line: number | null,
  host: string,
  secret: string,
): Candidate => ({
  location,
  line,
  url: `https://${forComparison(host)}/`,
  host: forComparison(host),
  username: null,
  secret,
});
