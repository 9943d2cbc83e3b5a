import { fstatSync, readSync, writeSync } from 'node:fs';

/**
 * Stdin and stdout through plain system calls, for the Docker helper: process.stdin and
 * process.stdout first build streams (Node's net and stream modules), about a sixth of a `get`
 * that Docker runs for every pull (issue 17). Whatever the system calls cannot do at once (a
 * terminal, a non-blocking or full pipe, an error) is handed to the streams, so behaviour stays
 * theirs.
 */

/** All of stdin as text, trimmed of its final newline (as prompt.ts's readAll). */
export async function stdinText(): Promise<string> {
  const chunks: Buffer[] = [];
  try {
    if (fstatSync(0).isCharacterDevice()) throw new Error('a terminal: read it as a stream');
    const buffer = Buffer.alloc(65536);
    for (let read = readSync(0, buffer); read > 0; read = readSync(0, buffer))
      chunks.push(Buffer.from(buffer.subarray(0, read)));
  } catch {
    for await (const chunk of process.stdin)
      chunks.push(Buffer.isBuffer(chunk) ? chunk : Buffer.from(String(chunk)));
  }
  return Buffer.concat(chunks)
    .toString('utf8')
    .replace(/\r?\n$/, '');
}

export function writeStdout(text: string): void {
  const bytes = Buffer.from(text);
  let written = 0;
  try {
    while (written < bytes.length) written += writeSync(1, bytes, written);
  } catch {
    process.stdout.write(bytes.subarray(written));
  }
}
