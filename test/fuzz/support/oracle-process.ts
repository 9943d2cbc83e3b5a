/**
 * The tools' own parsers as long-lived processes, so a property can ask one per case: a request
 * is one JSON line on stdin, its answer one JSON line on stdout, in order. Starting `python3`,
 * `java` or a Go program per case would cost more than the whole edit; one process answers
 * thousands of cases a second.
 */
import { spawn, spawnSync, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';

/** Long enough for a JVM's first answer on a loaded machine, short of a test's timeout. */
const ANSWER_MS = 60_000;

export class OracleProcess {
  readonly #child: ChildProcessWithoutNullStreams;
  readonly #waiting: { resolve(value: unknown): void; reject(error: Error): void }[] = [];
  #stderr = '';
  #exited: string | null = null;

  constructor(
    readonly label: string,
    command: string,
    args: string[],
    env: NodeJS.ProcessEnv = process.env,
  ) {
    this.#child = spawn(command, args, { stdio: ['pipe', 'pipe', 'pipe'], env });
    this.#child.stderr.on('data', (chunk: Buffer) => {
      this.#stderr = (this.#stderr + chunk.toString()).slice(-4000);
    });
    this.#child.on('error', (error) => this.#fail(`${label} could not start: ${error.message}`));
    this.#child.on('exit', (code, signal) =>
      this.#fail(`${label} exited (${signal ?? code}): ${this.#stderr}`),
    );
    createInterface({ input: this.#child.stdout }).on('line', (line) => {
      const waiter = this.#waiting.shift();
      if (!waiter) return;
      try {
        const answer = JSON.parse(line) as { error?: string };
        waiter.resolve(answer);
      } catch {
        waiter.reject(
          new Error(`${label} answered something that is not JSON: ${line.slice(0, 200)}`),
        );
      }
    });
  }

  #fail(message: string): void {
    this.#exited ??= message;
    for (const waiter of this.#waiting.splice(0)) waiter.reject(new Error(message));
  }

  get exited(): boolean {
    return this.#exited !== null;
  }

  /**
   * The parser's answer to one request (the request's shape is the oracle program's own). A
   * parser that hangs on an input fails the case with that input instead of the whole test's
   * timeout, which would print no seed; the process is stopped and the pool starts another.
   */
  ask<T>(request: object): Promise<T> {
    if (this.#exited !== null) return Promise.reject(new Error(this.#exited));
    const line = JSON.stringify(request);
    return new Promise<T>((resolve, reject) => {
      const timer = setTimeout(() => {
        this.#fail(
          `${this.label} gave no answer in ${ANSWER_MS / 1000} s to ${line.slice(0, 500)}`,
        );
        this.#child.kill('SIGKILL');
      }, ANSWER_MS);
      const settle =
        <V>(done: (value: V) => void) =>
        (value: V): void => {
          clearTimeout(timer);
          done(value);
        };
      this.#waiting.push({
        resolve: settle(resolve as (value: unknown) => void),
        reject: settle(reject),
      });
      this.#child.stdin.write(`${line}\n`);
    });
  }

  async close(): Promise<void> {
    if (this.#exited !== null) return;
    const exited = new Promise((resolve) => this.#child.once('exit', resolve));
    this.#child.stdin.end();
    const timer = setTimeout(() => this.#child.kill('SIGKILL'), 5_000);
    await exited;
    clearTimeout(timer);
  }
}

/** One process per label, started on first use and shared by a suite's properties. */
export class OraclePool {
  readonly #started = new Map<string, OracleProcess>();

  get(label: string, start: () => OracleProcess): OracleProcess {
    let oracle = this.#started.get(label);
    if (!oracle || oracle.exited) {
      oracle = start();
      this.#started.set(label, oracle);
    }
    return oracle;
  }

  async close(): Promise<void> {
    await Promise.all([...this.#started.values()].map((o) => o.close()));
    this.#started.clear();
  }
}

/**
 * Builds a Go program of one file against the libraries Debian packages in /usr/share/gocode
 * (GOPATH mode, no network: `.ci/run` installs them), once per content, and returns the binary.
 */
export function goProgram(source: string): string {
  const text = readFileSync(source);
  const hash = createHash('sha256').update(text).digest('hex').slice(0, 16);
  const dir = join(tmpdir(), 'artikey-fuzz-oracles');
  const binary = join(dir, `oracle-${hash}`);
  if (existsSync(binary)) return binary;
  mkdirSync(dir, { recursive: true });
  const built = spawnSync('go', ['build', '-o', binary, source], {
    encoding: 'utf8',
    env: {
      ...process.env,
      GO111MODULE: 'off',
      GOPATH: '/usr/share/gocode',
      GOCACHE: join(dir, 'go-cache'),
      GOPROXY: 'off',
    },
  });
  if (built.error || built.status !== 0)
    throw new Error(
      `go build ${source} failed (golang-go and the golang-*-dev libraries .ci/run installs): ${built.error?.message ?? built.stderr}`,
    );
  return binary;
}
