/**
 * Files built line by line for the ini and netrc generators, each line tagged with what it is,
 * so a property knows which lines an operation may touch and can build the file it expects
 * without the editor under test (the original minus the lines a migrate adopted).
 */
import fc from 'fast-check';
import { lineBreak } from './text-arbitraries.js';

export interface Line {
  text: string;
  /** What the line is to the property: 'other' for the person's own lines Artikey must keep. */
  tag: string;
}

export interface LinedFile {
  lines: Line[];
  /** Each line's own ending; the last is '' when the file has no final newline. */
  eols: string[];
}

export const line = (text: string, tag = 'other'): Line => ({ text, tag });

/** Endings for `count` lines: one style or a mix, with or without a final newline. */
export const endings = (count: number): fc.Arbitrary<string[]> =>
  fc
    .tuple(
      fc.oneof(
        lineBreak().map((eol) => Array<string>(count).fill(eol)),
        fc.array(lineBreak(), { minLength: count, maxLength: count }),
      ),
      fc.boolean(),
    )
    .map(([eols, finalNewline]) => {
      const all = [...eols];
      if (!finalNewline && all.length > 0) all[all.length - 1] = '';
      return all;
    });

/** The lines with their endings, as the file's text. */
export const assemble = (file: LinedFile): string =>
  file.lines.map((l, i) => l.text + (file.eols[i] ?? '\n')).join('');

/** The file without the lines `drop` picks: a removed last line takes the ending off the new last line. */
export function without(file: LinedFile, drop: (l: Line) => boolean): LinedFile {
  const lines: Line[] = [];
  const eols: string[] = [];
  file.lines.forEach((l, i) => {
    if (drop(l)) return;
    lines.push(l);
    eols.push(file.eols[i] ?? '\n');
  });
  const lastDropped = file.lines.length > 0 && drop(file.lines[file.lines.length - 1]!);
  if (lastDropped && file.eols[file.eols.length - 1] === '' && eols.length > 0)
    eols[eols.length - 1] = '';
  return { lines, eols };
}

/**
 * Lines and their endings together, as one arbitrary. A lone CR before an empty line becomes
 * CRLF: every reader takes the two as one break, so the file would have a line fewer than listed.
 */
export const lined = (lines: fc.Arbitrary<Line[]>): fc.Arbitrary<LinedFile> =>
  lines.chain((ls) =>
    endings(ls.length).map((eols) => ({
      lines: ls,
      eols: eols.map((eol, i) =>
        eol === '\r' && ls[i + 1]?.text === '' && eols[i + 1] !== '\r' ? '\r\n' : eol,
      ),
    })),
  );

/** Equal texts, or an error showing where they first differ (escaped, so line endings show). */
export function sameText(actual: string | null, expected: string | null): void {
  if (actual === expected) return;
  if (actual === null || expected === null)
    throw new Error(
      `expected ${JSON.stringify(expected)?.slice(0, 300)}, got ${JSON.stringify(actual)?.slice(0, 300)}`,
    );
  let at = 0;
  while (at < actual.length && actual[at] === expected[at]) at++;
  const around = (t: string): string => JSON.stringify(t.slice(Math.max(0, at - 80), at + 80));
  throw new Error(`texts differ at ${at}: expected …${around(expected)}…, got …${around(actual)}…`);
}
