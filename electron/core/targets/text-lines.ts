/**
 * Line-level splicing shared by the editors of line-based formats (.npmrc, pip.conf,
 * gradle.properties): lines keep their own endings, so untouched lines stay byte for byte, and
 * a file without a final newline keeps lacking one, even across an add and a remove.
 */
export interface TextLine {
  /** The line without its ending. */
  content: string;
  /** '\n', '\r\n', '\r' or '' for a last line without one. */
  eol: string;
}

export function splitLines(text: string): TextLine[] {
  const lines: TextLine[] = [];
  const pattern = /([^\r\n]*)(\r\n|\n|\r|$)/g;
  let match: RegExpExecArray | null;
  while ((match = pattern.exec(text)) !== null) {
    if (match[0] === '') break;
    lines.push({ content: match[1] ?? '', eol: match[2] ?? '' });
  }
  return lines;
}

export const joinLines = (lines: TextLine[]): string =>
  lines.map((l) => l.content + l.eol).join('');

/** The file's own line ending, for lines Artikey adds. */
export function lineEnding(lines: TextLine[]): string {
  return lines.find((l) => l.eol !== '')?.eol ?? '\n';
}

/**
 * Inserts whole lines before index `at`. Appending after a last line that has no ending gives
 * that line the file's ending and leaves the new last line without one.
 */
export function insertLines(lines: TextLine[], at: number, contents: string[]): TextLine[] {
  // A lone CR before an empty line ending in LF would read back as one CRLF: that line would vanish.
  const next = lines[at];
  const merges = next !== undefined && next.content === '' && next.eol.startsWith('\n');
  const eol = lineEnding(lines) === '\r' && merges ? '\r\n' : lineEnding(lines);
  const added = contents.map((content) => ({ content, eol }));
  const result = [...lines.slice(0, at), ...added, ...lines.slice(at)];
  const previous = result[at - 1];
  if (at === lines.length && previous && previous.eol === '' && added.length > 0) {
    result[at - 1] = { ...previous, eol };
    const last = result[result.length - 1]!;
    result[result.length - 1] = { ...last, eol: '' };
  }
  return result;
}

/** Removes the lines at these indexes; removing a last line without an ending takes the ending off the new last line. */
export function removeLines(lines: TextLine[], indexes: Set<number>): TextLine[] {
  if (indexes.size === 0) return lines;
  const endedWithout = lines.length > 0 && lines[lines.length - 1]!.eol === '';
  const result = lines.filter((_, i) => !indexes.has(i));
  if (endedWithout && indexes.has(lines.length - 1) && result.length > 0) {
    const last = result[result.length - 1]!;
    result[result.length - 1] = { ...last, eol: '' };
  }
  return result;
}

/**
 * The text of lines `first`..`last` from column `from` of the first, with the line endings
 * between them: a value as the file spells it, continuation lines included.
 */
export function tailText(lines: TextLine[], first: number, last: number, from: number): string {
  const spanned = lines.slice(first, last + 1);
  const text = spanned.map((l, i) => (i === spanned.length - 1 ? l.content : l.content + l.eol));
  return text.join('').slice(from);
}

/**
 * Lines `first`..`last` replaced by the first line's text before column `from` followed by
 * `text`, whose own line breaks become lines; the last line keeps its ending.
 */
export function replaceTail(
  lines: TextLine[],
  first: number,
  last: number,
  from: number,
  text: string,
): TextLine[] {
  const replaced = splitLines(lines[first]!.content.slice(0, from) + text);
  if (replaced.length === 0) replaced.push({ content: '', eol: '' });
  replaced[replaced.length - 1] = { ...replaced[replaced.length - 1]!, eol: lines[last]!.eol };
  return [...lines.slice(0, first), ...replaced, ...lines.slice(last + 1)];
}

/** The line of `offset`, from 1, counting LF (and so CRLF) as the line break. */
export const lineAt = (text: string, offset: number): number =>
  text.slice(0, offset).split('\n').length;

/**
 * `line L, column C` of `offset`, both from 1, counting LF, CRLF and a lone CR as line breaks:
 * the place a refusal names, as editors show it and the tools' own parsers report it.
 */
export function lineAndColumn(text: string, offset: number): string {
  const before = text.slice(0, offset).split(/\r\n|\r|\n/);
  return `line ${before.length}, column ${before.at(-1)!.length + 1}`;
}
