import { createInterface } from 'node:readline';
import { Writable, type Readable } from 'node:stream';

/** Reads all of stdin (for --password-stdin and piped tokens), trimmed of its final newline. */
export async function readAll(input: Readable): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of input) chunks.push(Buffer.isBuffer(chunk) ? chunk : Buffer.from(String(chunk)));
  return Buffer.concat(chunks).toString('utf8').replace(/\r?\n$/, '');
}

/** Asks on the terminal; with `secret`, nothing typed is echoed. */
export function ask(question: string, input: Readable, output: NodeJS.WritableStream, secret = false): Promise<string> {
  return new Promise((resolve, reject) => {
    let muted = false;
    const shown = new Writable({
      write(chunk: Buffer, _encoding, done) {
        if (!muted) output.write(chunk);
        done();
      },
    });
    const rl = createInterface({ input, output: shown, terminal: true });
    rl.question(question, (answer) => {
      rl.close();
      if (secret) output.write('\n');
      resolve(answer);
    });
    muted = secret;
    rl.on('SIGINT', () => {
      rl.close();
      reject(new Error('cancelled'));
    });
  });
}
