/**
 * What a refusal of an XML file must say: a line and a column that are a place in the file, lines
 * counted as the tools count them (CRLF, LF and a lone CR each end one).
 */
export function expectNamesPlace(message: string, text: string): void {
  const place = /line (\d+), column (\d+)/i.exec(message);
  if (!place) throw new Error(`the refusal names no line and column: ${message}`);
  const lines = text.split(/\r\n|\r|\n/);
  const line = Number(place[1]);
  const column = Number(place[2]);
  if (line < 1 || line > lines.length)
    throw new Error(
      `the refusal names line ${line} of a file of ${lines.length} lines: ${message}`,
    );
  const length = [...lines[line - 1]!].length;
  if (column < 1 || column > length + 1)
    throw new Error(
      `the refusal names column ${column} of a line of ${length} characters: ${message}`,
    );
}
