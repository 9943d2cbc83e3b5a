// The tool-file editors' properties at bench size, for `npm run bench`: every suite in
// test/fuzz/*.suite.ts runs at least FUZZ_CASES (100,000) cases, split over its properties (a
// property with `benchCases` takes that many, the others share the rest), and prints per editor
// the cases run, the failures (target 0) and the time spent on it (the sum of its properties'
// times). `tsx build/bench/fuzz.ts ini toml` runs the named suites only. Properties run side by
// side in child processes, one per core (FUZZ_JOBS), each printed as it finishes.
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
const CHILD = 'ARTIKEY_FUZZ_BENCH_CHILD';
const unknown = only.filter((name) => !suites.includes(name));
if (process.env[CHILD] !== '1' && unknown.length > 0) {
  process.stderr.write(
    `no fuzz suite named ${unknown.join(', ')}; the suites are: ${suites.join(', ')}\n`,
  );
  process.exit(2);
}
const files = only.length === 0 ? suites : only;

/** One property of one suite: the unit the bench hands a child process. */
interface Item {
  /** The suite's file name: `ini` for test/fuzz/ini.suite.ts. */
  suite: string;
  index: number;
}

interface PropertyFigures extends Item {
  name: string;
  cases: number;
  failures: number;
  milliseconds: number;
  firstFailure: string | null;
}

const loadSuite = async (name: string): Promise<FuzzSuite> =>
  (
    (await import(pathToFileURL(join(root, 'test/fuzz', `${name}.suite.ts`)).href)) as {
      suite: FuzzSuite;
    }
  ).suite;

/**
 * One property at bench size, in a child process of this script (its figures as JSON on stdout).
 * The seeds are the property's own (the bench seed plus 1,000 per property index), whichever
 * process runs it, so a failure replays alike.
 */
async function benchOne({ suite: name, index }: Item): Promise<PropertyFigures> {
  const suite = await loadSuite(name);
  try {
    const property = suite.properties[index]!;
    const figures = await benchProperty(property, shares(suite)[index]!, seed + index * 1_000);
    return { suite: name, index, name: property.name, ...figures };
  } finally {
    await suite.close?.();
  }
}

function benchInChild(item: Item): Promise<PropertyFigures> {
  return new Promise((resolve) => {
    const child = spawn(
      process.execPath,
      [...process.execArgv, fileURLToPath(import.meta.url), `${item.suite}#${item.index}`],
      {
        env: { ...process.env, [CHILD]: '1', FUZZ_SEED: String(seed) },
        stdio: ['ignore', 'pipe', 'inherit'],
      },
    );
    let output = '';
    const started = performance.now();
    child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.on('close', (code) => {
      try {
        // The last line: a suite's own output may come before it.
        resolve(JSON.parse(output.trim().split('\n').at(-1)!) as PropertyFigures);
      } catch {
        // A child that died is a failure of its property, not the end of the bench.
        resolve({
          ...item,
          name: `property ${item.index}`,
          cases: 0,
          failures: 1,
          milliseconds: performance.now() - started,
          firstFailure: `the bench's child stopped (exit ${String(code)}): ${output.slice(-2000)}`,
        });
      }
    });
  });
}

const figureLine = (f: PropertyFigures): string =>
  `${f.name.padEnd(70).slice(0, 70)} ${f.cases.toLocaleString('en').padStart(8)} cases, ${f.failures} failed, ${(f.milliseconds / 1000).toFixed(1)} s`;

if (process.env[CHILD] === '1') {
  const [suite = '', index = ''] = (only[0] ?? '').split('#');
  process.stdout.write(`\n${JSON.stringify(await benchOne({ suite, index: Number(index) }))}\n`);
} else {
  const jobs = Math.max(1, Number(process.env['FUZZ_JOBS'] ?? availableParallelism()));
  out(
    `tool-file fuzzing, seed ${seed} (FUZZ_SEED replays it), at least ${perEditor.toLocaleString('en')} cases per editor, ${jobs} properties at a time (FUZZ_JOBS):`,
  );
  // Properties, not suites, are shared out: one suite's slow properties (YAML's real yarn and
  // Yarn's reader) would otherwise keep one core busy long after the other has finished.
  const editors = new Map<string, string>();
  const queue: Item[] = [];
  for (const name of files) {
    const suite = await loadSuite(name);
    editors.set(name, suite.editor);
    queue.push(...suite.properties.map((_, index) => ({ suite: name, index })));
    await suite.close?.();
  }
  const results: PropertyFigures[] = [];
  const worker = async (): Promise<void> => {
    for (let item = queue.shift(); item !== undefined; item = queue.shift()) {
      const figures = await benchInChild(item);
      // As each finishes: a full run takes hours, and its progress should show.
      out(`  [${figures.suite}] ${figureLine(figures)}`);
      if (figures.firstFailure)
        out(`    first failure: ${figures.firstFailure.split('\n').slice(0, 3).join(' ')}`);
      results.push(figures);
    }
  };
  await Promise.all(Array.from({ length: jobs }, worker));
  const summary = files.map((name) => {
    const own = results.filter((r) => r.suite === name).sort((a, b) => a.index - b.index);
    return {
      name,
      editor: editors.get(name) ?? name,
      properties: own,
      cases: own.reduce((sum, r) => sum + r.cases, 0),
      failures: own.reduce((sum, r) => sum + r.failures, 0),
      seconds: own.reduce((sum, r) => sum + r.milliseconds, 0) / 1000,
    };
  });
  for (const s of summary) {
    out(`  ${s.editor}:`);
    for (const f of s.properties) {
      out(`    ${figureLine(f)}`);
      if (f.firstFailure)
        out(`      first failure: ${f.firstFailure.split('\n').slice(0, 12).join('\n      ')}`);
    }
    out(
      `    all properties: ${s.cases.toLocaleString('en')} cases, ${s.failures} failures (target 0), ${s.seconds.toFixed(1)} s`,
    );
  }
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
