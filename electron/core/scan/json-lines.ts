/**
 * Line numbers for the members of a JSON document, which `JSON.parse` does not give: a lenient
 * walk over text that `JSON.parse` has already accepted, recording where each key starts.
 * `lineOf(['auths', 'acme.jfrog.io'])` is the line of that key; array elements by index.
 */
export type JsonPath = readonly (string | number)[];

export function jsonLines(text: string): (path: JsonPath) => number | null {
  const lines = new Map<string, number>();
  const lineStarts = [0];
  for (let i = 0; i < text.length; i++) if (text[i] === '\n') lineStarts.push(i + 1);
  const lineAt = (offset: number): number => {
    let low = 0;
    let high = lineStarts.length - 1;
    while (low < high) {
      const middle = (low + high + 1) >> 1;
      if ((lineStarts[middle] ?? 0) <= offset) low = middle;
      else high = middle - 1;
    }
    return low + 1;
  };
  let at = 0;
  const skipSpace = (): void => {
    while (at < text.length && /\s/.test(text[at] ?? '')) at++;
  };
  const readString = (): string => {
    const start = at;
    at++; // opening quote
    while (at < text.length && text[at] !== '"') at += text[at] === '\\' ? 2 : 1;
    at++; // closing quote
    return JSON.parse(text.slice(start, at)) as string;
  };
  const walk = (path: (string | number)[], depth: number): void => {
    skipSpace();
    const char = text[at];
    if (char === '{' || char === '[') {
      if (depth > 64) throw new Error('too deep');
      const closing = char === '{' ? '}' : ']';
      at++;
      for (let index = 0; ; index++) {
        skipSpace();
        if (at >= text.length || text[at] === closing) break;
        let member: string | number = index;
        if (char === '{') {
          const keyAt = at;
          member = readString();
          skipSpace();
          at++; // colon
          lines.set(JSON.stringify([...path, member]), lineAt(keyAt));
        } else {
          skipSpace();
          lines.set(JSON.stringify([...path, member]), lineAt(at));
        }
        walk([...path, member], depth + 1);
        skipSpace();
        if (text[at] === ',') at++;
      }
      at++;
    } else if (char === '"') {
      readString();
    } else {
      while (at < text.length && !/[\s,\]}]/.test(text[at] ?? '')) at++;
    }
  };
  try {
    walk([], 0);
  } catch {
    // Line numbers are a courtesy: without them the entries are still reported.
  }
  return (path) => lines.get(JSON.stringify(path)) ?? null;
}

/** JSON.parse with a message that never quotes the text (which may hold secrets). */
export function parseJson(
  text: string,
): { ok: true; value: unknown } | { ok: false; line: number | null } {
  try {
    return { ok: true, value: JSON.parse(text) as unknown };
  } catch (error) {
    const position = /position (\d+)/.exec((error as Error).message)?.[1];
    const line = position === undefined ? null : text.slice(0, Number(position)).split('\n').length;
    return { ok: false, line };
  }
}

export const isObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);
