// The tool-file editors' properties at bench size, for `npm run bench`: every suite in
// test/fuzz/*.suite.ts runs at least FUZZ_CASES (100,000) cases, split over its properties (a
// property with `benchCases` takes that many, the others share the rest), and prints per editor
// the cases run, the failures (target 0) and the time. `tsx build/bench/fuzz.ts ini toml` runs the
// named suites only.
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
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

const files = readdirSync(join(root, 'test/fuzz'))
  .filter((f) => f.endsWith('.suite.ts'))
  .filter((f) => only.length === 0 || only.includes(f.replace(/\.suite\.ts$/, '')))
  .sort();

out(
  `tool-file fuzzing, seed ${seed} (FUZZ_SEED replays it), at least ${perEditor.toLocaleString('en')} cases per editor:`,
);
const summary: { editor: string; cases: number; failures: number; seconds: number }[] = [];
for (const file of files) {
  const { suite } = (await import(pathToFileURL(join(root, 'test/fuzz', file)).href)) as {
    suite: FuzzSuite;
  };
  let cases = 0;
  let failures = 0;
  const started = performance.now();
  out(`  ${suite.editor}:`);
  const counts = shares(suite);
  try {
    for (const [i, property] of suite.properties.entries()) {
      const figures = await benchProperty(property, counts[i]!, seed + i * 1_000);
      cases += figures.cases;
      failures += figures.failures;
      out(
        `    ${property.name.padEnd(70).slice(0, 70)} ${figures.cases.toLocaleString('en').padStart(8)} cases, ${figures.failures} failed, ${(figures.milliseconds / 1000).toFixed(1)} s`,
      );
      if (figures.firstFailure)
        out(
          `      first failure: ${figures.firstFailure.split('\n').slice(0, 12).join('\n      ')}`,
        );
    }
  } finally {
    await suite.close?.();
  }
  const seconds = (performance.now() - started) / 1000;
  out(
    `    all properties: ${cases.toLocaleString('en')} cases, ${failures} failures (target 0), ${seconds.toFixed(1)} s`,
  );
  summary.push({ editor: suite.editor, cases, failures, seconds: Math.round(seconds * 10) / 10 });
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
