// The tool-file editors' properties at bench size, for `npm run bench`: every suite in
// test/fuzz/*.suite.ts runs at least FUZZ_CASES (100,000) cases, split over its properties (a
// property with `benchCases` takes that many, the others share the rest), and prints per editor
// the cases run, the failures (target 0) and the time. `tsx build/bench/fuzz.ts ini toml` runs the
// named suites only. Suites run side by side in child processes, one per core (FUZZ_JOBS).
import { spawn } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { benchProperty, type FuzzSuite } from '../../test/fuzz/support/fuzz-run.js';

const root = new URL('../..', import.meta.url).pathname;
const perEditor = Number(process.env['FUZZ_CASES'] ?? 100_000);
const seed = Number(process.env['FUZZ_SEED'] ?? Date.now() % 0x7fffffff);
const only = process.argv.slice(2);

const out = (text: string): boolean => process.stdout.write(`${text}\n`);

/** Each property's share of the editor's cases. */
function shares(suite: FuzzSuite): number[] {
  const fixed = suite.properties.reduce((sum, p) => sum + (p.benchCases ?? 0), 0);
  const open = suite.properties.filter((p) => p.benchCases === undefined).length;
  // Never less than an even share of the whole, however many cases the fixed ones take.
  const each =
    open === 0
      ? 0
      : Math.max(
          Math.ceil((perEditor - fixed) / open),
          Math.ceil(perEditor / suite.properties.length),
        );
  return suite.properties.map((p) => p.benchCases ?? each);
}

const suites = readdirSync(join(root, 'test/fuzz'))
  .filter((f) => f.endsWith('.suite.ts'))
  .map((f) => f.replace(/\.suite\.ts$/, ''))
  .sort();
// Named suites run in the order given (the longest first keeps both cores busy to the end).
const unknown = only.filter((name) => !suites.includes(name));
if (unknown.length > 0) {
  process.stderr.write(
    `no fuzz suite named ${unknown.join(', ')}; the suites are: ${suites.join(', ')}\n`,
  );
  process.exit(2);
}
const files = only.length === 0 ? suites : only;

interface EditorFigures {
  /** The suite's file name: `ini` for test/fuzz/ini.suite.ts. */
  name: string;
  editor: string;
  cases: number;
  failures: number;
  seconds: number;
  /** What the bench printed for the editor: its properties, their figures and first failures. */
  report: string;
}

/** Every property of one suite at bench size. */
async function benchSuite(name: string): Promise<EditorFigures> {
  const { suite } = (await import(
    pathToFileURL(join(root, 'test/fuzz', `${name}.suite.ts`)).href
  )) as {
    suite: FuzzSuite;
  };
  const lines = [`  ${suite.editor}:`];
  let cases = 0;
  let failures = 0;
  const started = performance.now();
  const counts = shares(suite);
  try {
    for (const [i, property] of suite.properties.entries()) {
      const figures = await benchProperty(property, counts[i]!, seed + i * 1_000);
      cases += figures.cases;
      failures += figures.failures;
      lines.push(
        `    ${property.name.padEnd(70).slice(0, 70)} ${figures.cases.toLocaleString('en').padStart(8)} cases, ${figures.failures} failed, ${(figures.milliseconds / 1000).toFixed(1)} s`,
      );
      if (figures.firstFailure)
        lines.push(
          `      first failure: ${figures.firstFailure.split('\n').slice(0, 12).join('\n      ')}`,
        );
    }
  } finally {
    await suite.close?.();
  }
  const seconds = (performance.now() - started) / 1000;
  lines.push(
    `    all properties: ${cases.toLocaleString('en')} cases, ${failures} failures (target 0), ${seconds.toFixed(1)} s`,
  );
  return { name, editor: suite.editor, cases, failures, seconds, report: lines.join('\n') };
}

/**
 * One suite in a child process of this script (its figures as JSON on stdout): suites run side by
 * side, one per core, since a suite keeps one core busy (its oracle processes answer in turn).
 */
function benchInChild(name: string): Promise<EditorFigures> {
  return new Promise((resolve, reject) => {
    const child = spawn(
      process.execPath,
      [...process.execArgv, fileURLToPath(import.meta.url), name],
      {
        env: { ...process.env, [CHILD]: '1', FUZZ_SEED: String(seed) },
        stdio: ['ignore', 'pipe', 'inherit'],
      },
    );
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.on('error', reject);
    child.on('close', (code) => {
      try {
        // The last line: a suite's own output may come before it.
        resolve(JSON.parse(output.trim().split('\n').at(-1)!) as EditorFigures);
      } catch {
        reject(
          new Error(
            `the ${name} suite's bench stopped (exit ${String(code)}): ${output.slice(-2000)}`,
          ),
        );
      }
    });
  });
}

const CHILD = 'ARTIKEY_FUZZ_BENCH_CHILD';
if (process.env[CHILD] === '1') {
  process.stdout.write(`\n${JSON.stringify(await benchSuite(files[0]!))}\n`);
} else {
  const jobs = Math.max(1, Number(process.env['FUZZ_JOBS'] ?? availableParallelism()));
  out(
    `tool-file fuzzing, seed ${seed} (FUZZ_SEED replays it), at least ${perEditor.toLocaleString('en')} cases per editor, ${jobs} suites at a time (FUZZ_JOBS):`,
  );
  const summary: EditorFigures[] = [];
  const queue = [...files];
  const worker = async (): Promise<void> => {
    for (let name = queue.shift(); name !== undefined; name = queue.shift()) {
      const figures = await benchInChild(name);
      out(figures.report);
      summary.push(figures);
    }
  };
  await Promise.all(Array.from({ length: Math.min(jobs, files.length) }, worker));
  summary.sort((a, b) => files.indexOf(a.name) - files.indexOf(b.name));
  const total = summary.reduce((sum, s) => sum + s.failures, 0);
  out(
    `  all editors: ${summary.reduce((sum, s) => sum + s.cases, 0).toLocaleString('en')} cases, ${total} failures (target 0)`,
  );
  for (const s of summary)
    out(
      `    ${s.editor.padEnd(60).slice(0, 60)} ${s.cases.toLocaleString('en').padStart(9)} cases ${String(s.failures).padStart(4)} failures ${s.seconds.toFixed(1).padStart(7)} s`,
    );
  process.exitCode = total === 0 ? 0 : 1;
}
