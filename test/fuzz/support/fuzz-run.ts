/**
 * How the editors' properties run: in `npm test` a bounded number of cases per property, once
 * with a fixed seed (the same cases on every machine) and once with a fresh random seed (new
 * cases every run, its seed printed when one fails); in `npm run bench` (build/bench/fuzz.ts)
 * at least 100,000 cases per editor, counting failures instead of stopping at the first.
 *
 * A failure names the seed and the shrunk case's path; `ARTIKEY_FUZZ_SEED=<seed>
 * ARTIKEY_FUZZ_PATH=<path>` runs exactly that case again. Each shrunk counterexample then
 * becomes a plain regression test beside the editor's other tests.
 */
import fc from 'fast-check';

/** The seed `npm test` always runs. */
export const FIXED_SEED = 19_2026;

export interface FuzzProperty {
  name: string;
  /** Cases per seed in `npm test`: keep a property to a few seconds. */
  cases: number;
  /**
   * Cases in `npm run bench` when the even share of the editor's 100,000 would take too long
   * (a cycle through real files, fsync included); the other properties share the rest.
   */
  benchCases?: number;
  /** Made afresh for each run, so a run never sees another's state. */
  property: () => fc.IRawProperty<unknown[]>;
}

export interface FuzzSuite {
  /** The editor as the bench prints it, with the kinds it serves: `ini-file.ts (npm, pip, pypirc)`. */
  editor: string;
  properties: FuzzProperty[];
  /** Stops what the properties started (the real parsers' processes); called once after all runs. */
  close?: () => Promise<void>;
}

/** Under describe-suite.ts's 300 s per property, so a slow run still prints its seed. */
const INTERRUPT_MS = 240_000;

const randomSeed = (): number => (Math.random() * 0x7fffffff) | 0;

/**
 * Runs the property as `npm test` does: the fixed seed, then a random one (or only the seed and
 * path `ARTIKEY_FUZZ_SEED`/`ARTIKEY_FUZZ_PATH` replay). Throws fast-check's report of the shrunk
 * counterexample with the line that replays it.
 */
export async function checkProperty(property: FuzzProperty): Promise<void> {
  const replaySeed = process.env['ARTIKEY_FUZZ_SEED'];
  const replayPath = process.env['ARTIKEY_FUZZ_PATH'];
  const seeds = replaySeed ? [Number(replaySeed)] : [FIXED_SEED, randomSeed()];
  const deadline = Date.now() + INTERRUPT_MS;
  for (const seed of seeds) {
    const details = await fc.check(property.property(), {
      seed,
      numRuns: property.cases,
      includeErrorInReport: true,
      // Stops (shrinking included) and reports the seed before the test's own timeout would.
      interruptAfterTimeLimit: Math.max(1_000, deadline - Date.now()),
      markInterruptAsFailure: true,
      ...(replayPath ? { path: replayPath } : {}),
    });
    if (details.failed) {
      const report = (await fc.asyncDefaultReportMessage(details)) ?? 'the property failed';
      throw new Error(
        `${report}\n\nReplay this case: ARTIKEY_FUZZ_SEED=${seed} ARTIKEY_FUZZ_PATH=${details.counterexamplePath ?? ''} npm run test:files -- <this file> -t "${property.name}"`,
      );
    }
  }
}

export interface BenchFigures {
  cases: number;
  failures: number;
  milliseconds: number;
  /** The first failure's report, shrunk, with its seed. */
  firstFailure: string | null;
}

/**
 * Runs `cases` cases of the property in chunks, each chunk its own seed from `seed` on, so a
 * failure is counted and the run goes on with the next chunk instead of stopping.
 */
export async function benchProperty(
  property: FuzzProperty,
  cases: number,
  seed: number,
  chunk = 5_000,
): Promise<BenchFigures> {
  const started = performance.now();
  let run = 0;
  let failures = 0;
  let firstFailure: string | null = null;
  for (let i = 0; run < cases; i++) {
    const numRuns = Math.min(chunk, cases - run);
    const details = await fc.check(property.property(), {
      seed: seed + i,
      numRuns,
      includeErrorInReport: true,
      // A chunk takes minutes; a hanging case (and its shrinking) counts as a failure instead.
      interruptAfterTimeLimit: 20 * 60_000,
      markInterruptAsFailure: true,
    });
    run += details.failed ? details.numRuns : numRuns;
    if (details.failed) {
      failures++;
      firstFailure ??= `seed ${seed + i}: ${(await fc.asyncDefaultReportMessage(details)) ?? ''}`;
    }
  }
  return { cases: run, failures, milliseconds: performance.now() - started, firstFailure };
}
