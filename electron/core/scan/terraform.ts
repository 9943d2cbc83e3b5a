import { basename } from 'node:path';
import { jsonErrorPlace, scanJsonObject } from '../targets/json-members.js';
import { readHcl, type HclAttribute, type HclItem } from '../targets/hcl-file.js';
import { forComparison } from '../targets/terraform-credentials.js';
import { ToolFileError } from '../targets/tool-file.js';
import { lineAt } from '../targets/text-lines.js';
import { credentialFrom, type Candidate, type FindContext } from './classify.js';
import { inLineOrder, type Findings } from './findings.js';

/** The file `terraform login` writes: `{"credentials": {"<host>": {"token": "…"}}}`. */
export const CREDENTIALS_FILE = 'credentials.tfrc.json';

/**
 * Terraform's tokens: each host's token in the CLI configuration, and each host's token in
 * credentials.tfrc.json. Terraform sends them as Bearer to the host's registry (https://<host>/),
 * so the host is the URL.
 */
export function findInTerraformFile(context: FindContext, text: string): Findings {
  const notes: string[] = [];
  const candidates: Candidate[] =
    basename(context.file) === CREDENTIALS_FILE
      ? inCredentialsFile(text)
      : tokensInConfig(text, (offset) =>
          notes.push(
            `${basename(context.file)} sets credentials at line ${lineAt(text, offset)} in a form Artikey does not read (an object with commas, or a list); a token there is not listed. Write it as credentials "<host>" { token = "…" } blocks.`,
          ),
        ).map(({ host, offset, token }) =>
          candidate(`credentials "${host}" token`, lineAt(text, offset), host, token),
        );
  return {
    found: inLineOrder(candidates.map((c) => credentialFrom(context, c))),
    notes,
  };
}

interface HostToken {
  host: string;
  /** Offset of the token setting in the file. */
  offset: number;
  token: string;
}

/**
 * Each host's token as Terraform reads the CLI configuration: HCL v1 decodes every `credentials`
 * item into one map of hosts, whether written as the blocks Artikey writes
 * (`credentials "<host>" { token = "…" }`), nested without a label
 * (`credentials { "<host>" { token = "…" } }`) or as an object
 * (`credentials = { "<host>" = { token = "…" } }`). The editor leaves the last two to the person,
 * but a plain-text token in them is still one to find. An object is read as the items between its
 * braces; one that does not read so (items set apart by commas) is passed to `unread`, not guessed.
 */
function tokensInConfig(text: string, unread: (offset: number) => void): HostToken[] {
  const found: HostToken[] = [];
  /** The items of the object expression at `[from, to)`, with offsets in the file; null: not read. */
  const objectItems = (from: number, to: number): HclItem[] | null => {
    const value = text.slice(from, to);
    if (!value.startsWith('{') || !value.endsWith('}')) return null;
    try {
      return readHcl(value.slice(1, -1), 'an object of the Terraform CLI configuration').map(
        (item) => shifted(item, from + 1),
      );
    } catch {
      return null;
    }
  };
  /** The settings of one host: a block's items, or an object's. */
  const settingsOf = (item: HclItem): HclItem[] | null =>
    item.kind === 'block' ? item.items : objectItems(item.valueStart, item.valueEnd);
  const hostSettings = (host: string, item: HclItem): void => {
    const settings = settingsOf(item);
    if (settings === null) return unread(item.start);
    // Each one: Terraform keeps one of two, but both are plain text on the disk.
    for (const token of settings.filter(
      (setting): setting is HclAttribute =>
        setting.kind === 'attribute' && setting.name === 'token',
    )) {
      if (token.text) found.push({ host, offset: token.start, token: token.text });
      // `token = "…",` in an object: HCL v1 reads the string, this reader not.
      else if (/,\s*$/.test(text.slice(token.valueStart, token.valueEnd))) unread(token.start);
    }
  };
  for (const item of readHcl(text, 'the Terraform CLI configuration')) {
    if (item.kind === 'block' && item.type === 'credentials' && item.labels.length === 1)
      hostSettings(item.labels[0]!, item);
    else if (
      (item.kind === 'block' && item.type === 'credentials' && item.labels.length === 0) ||
      (item.kind === 'attribute' && item.name === 'credentials')
    ) {
      const hosts = settingsOf(item);
      if (hosts === null) unread(item.start);
      for (const host of hosts ?? []) {
        if (host.kind === 'attribute') hostSettings(host.name, host);
        else if (host.labels.length === 0) hostSettings(host.type, host);
      }
    }
  }
  return found;
}

/** `item` read from a slice of the file that starts at `base`, with its offsets in the file. */
function shifted(item: HclItem, base: number): HclItem {
  return item.kind === 'attribute'
    ? {
        ...item,
        start: item.start + base,
        valueStart: item.valueStart + base,
        valueEnd: item.valueEnd + base,
      }
    : {
        ...item,
        start: item.start + base,
        open: item.open + base,
        close: item.close + base,
        items: item.items.map((inner) => shifted(inner, base)),
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
