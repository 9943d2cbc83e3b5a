import { hclString, readHcl, type HclAttribute, type HclBlock } from './hcl-file.js';
import { lineAt } from './text-lines.js';
import { ToolFileError } from './tool-file.js';

/**
 * `credentials "<host>" { token = "…" }` in a Terraform CLI configuration file: the one block
 * Artikey writes there, spliced in and out with hcl-file.ts. Terraform compares hosts without
 * case (svchost's comparison form), so a block spelling the host in capitals is the same block.
 */
export interface CredentialsBlock {
  block: HclBlock;
  token: HclAttribute | undefined;
}

const FILE = 'the Terraform CLI configuration';

/** Every `credentials` block in the file with its host and its token attribute, in file order. */
export function credentialsBlocks(text: string): { host: string; found: CredentialsBlock }[] {
  return readHcl(text, FILE)
    .filter((item): item is HclBlock => item.kind === 'block' && item.type === 'credentials')
    .filter((block) => block.labels.length === 1)
    .map((block) => ({
      host: block.labels[0]!,
      found: {
        block,
        token: block.items.find(
          (item): item is HclAttribute => item.kind === 'attribute' && item.name === 'token',
        ),
      },
    }));
}

/**
 * A host as Terraform compares credentials hosts (svchost.ForComparison): without case, and
 * without the default port, so `acme.jfrog.io:443` is `acme.jfrog.io`.
 */
export const forComparison = (host: string): string => host.toLowerCase().replace(/:443$/, '');

/**
 * The host's block, refusing two of them, or two token settings in it (Terraform would keep one;
 * which is not Artikey's guess).
 */
export function findCredentials(text: string, host: string): CredentialsBlock | undefined {
  requireBlocksOnly(text);
  const matches = credentialsBlocks(text).filter(
    (c) => forComparison(c.host) === forComparison(host),
  );
  if (matches.length > 1)
    throw new ToolFileError(
      'tool-file-conflict',
      `${FILE} has ${String(matches.length)} credentials blocks for ${host} (lines ${matches.map((m) => lineAt(text, m.found.block.start)).join(', ')}); keep one and configure again. Artikey left the file untouched.`,
    );
  const found = matches[0]?.found;
  const tokens = found?.block.items.filter(
    (item) => item.kind === 'attribute' && item.name === 'token',
  );
  if (tokens !== undefined && tokens.length > 1)
    throw new ToolFileError(
      'tool-file-conflict',
      `The credentials block for ${host} sets token ${String(tokens.length)} times (lines ${tokens.map((t) => lineAt(text, t.start)).join(', ')}); keep one and configure again. Artikey left the file untouched.`,
    );
  return found;
}

/**
 * HCL v1 also reads credentials written as an object (`credentials = { "<host>" = { … } }`) or
 * nested without a label, and merges them with the blocks: a token of Artikey's beside them may
 * not be the one Terraform uses, so such a file is left to the person.
 */
function requireBlocksOnly(text: string): void {
  const other = readHcl(text, FILE).find(
    (item) =>
      (item.kind === 'attribute' && item.name === 'credentials') ||
      (item.kind === 'block' && item.type === 'credentials' && item.labels.length !== 1),
  );
  if (other !== undefined)
    throw new ToolFileError(
      'tool-file-conflict',
      `${FILE} sets credentials at line ${String(lineAt(text, other.start))} in a form other than credentials "<host>" { token = "…" }; write it as such blocks and configure again. Artikey left the file untouched.`,
    );
}

/**
 * The text with the host's token set: in the person's block when there is one (the token's value
 * replaced, or a token line added before its `}`), else a block of Artikey's own at the end.
 * `existed` says which, for the remover.
 */
export function setToken(
  text: string | null,
  host: string,
  token: string,
): { text: string; existed: boolean } {
  const current = text ?? '';
  const found = findCredentials(current, host);
  if (found === undefined) return { text: appendBlock(current, host, token), existed: false };
  const { block, token: attribute } = found;
  if (attribute !== undefined) {
    if (attribute.text === null)
      throw new ToolFileError(
        'tool-file-conflict',
        `The token of the credentials block for ${host} (line ${String(lineAt(current, attribute.start))}) is not a plain quoted string; Artikey left it alone. Replace it with token = "" and configure again.`,
      );
    return {
      text: splice(current, attribute.valueStart, attribute.valueEnd, hclString(token)),
      existed: true,
    };
  }
  const closeLine = lineStart(current, block.close);
  if (current.slice(closeLine, block.close).trim() !== '')
    throw new ToolFileError(
      'tool-file-conflict',
      `The credentials block for ${host} (line ${String(lineAt(current, block.start))}) closes on the line of another setting; put its } on a line of its own and configure again. Artikey left the file untouched.`,
    );
  const first = block.items[0];
  const indent = first ? current.slice(lineStart(current, first.start), first.start) : '  ';
  const eol = current.includes('\r\n') ? '\r\n' : '\n';
  const line = `${/^[ \t]*$/.test(indent) ? indent : '  '}token = ${hclString(token)}${eol}`;
  return { text: splice(current, closeLine, closeLine, line), existed: true };
}

/**
 * The text without Artikey's token for the host: a block Artikey added goes whole (unless the
 * person has put more in it since), a block of the person's loses only its token line (the
 * token the person had there is no longer known: a secret is never kept to put back).
 */
export function removeToken(text: string, host: string, existed: boolean): string {
  const found = findCredentials(text, host);
  if (found?.token === undefined) return text;
  const { block, token } = found;
  const others = block.items.filter((item) => item !== token);
  const inside = text.slice(block.open + 1, block.close);
  const onlyToken = inside.replace(text.slice(token.start, token.valueEnd), '').trim() === '';
  if (
    (!existed && others.length === 0 && onlyToken) ||
    lineAt(text, block.open) === lineAt(text, block.close)
  )
    return cutLines(text, block.start, block.close + 1, host);
  return cutLines(text, token.start, token.valueEnd, host);
}

function appendBlock(text: string, host: string, token: string): string {
  const eol = text.includes('\r\n') ? '\r\n' : '\n';
  const lines = [`credentials ${hclString(host)} {`, `  token = ${hclString(token)}`, '}'];
  if (text === '') return lines.join(eol) + eol;
  // A file without a final line break keeps lacking one: the break goes before the block instead.
  if (!text.endsWith('\n')) return text + eol + lines.join(eol);
  return text + lines.join(eol) + eol;
}

const splice = (text: string, from: number, to: number, insert: string): string =>
  text.slice(0, from) + insert + text.slice(to);

const reads = (text: string): boolean => {
  try {
    readHcl(text, FILE);
    return true;
  } catch {
    return false;
  }
};

const lineStart = (text: string, offset: number): number => text.lastIndexOf('\n', offset - 1) + 1;

/**
 * Removes the whole lines holding `from`..`to`, which must hold nothing else but spaces and a
 * line comment after it. At the end of a file without a final line break, the break before the
 * lines goes instead, unless the file then no longer reads: HCL v1 takes a heredoc's closing
 * marker only with its line break.
 */
function cutLines(text: string, from: number, to: number, host: string): string {
  const start = lineStart(text, from);
  let end = to;
  while (text[end] === ' ' || text[end] === '\t') end++;
  // A line comment after the token is about the token: it goes with it.
  if (text[end] === '#' || text.startsWith('//', end))
    while (end < text.length && text[end] !== '\n' && text[end] !== '\r') end++;
  if (text.slice(start, from).trim() !== '' || !['\n', '\r', undefined].includes(text[end]))
    throw new ToolFileError(
      'tool-file-conflict',
      `Artikey's token for ${host} (line ${String(lineAt(text, from))}) shares its line with other text; take that out of the line and try again. Artikey left the file untouched.`,
    );
  if (text[end] === undefined) {
    const kept = text.slice(0, start);
    const trimmed = kept.replace(/\r?\n$/, '');
    return trimmed === kept || reads(trimmed) ? trimmed : kept;
  }
  if (text[end] === '\r') end++;
  if (text[end] === '\n') end++;
  return text.slice(0, start) + text.slice(end);
}
