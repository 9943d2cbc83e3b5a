// The lifecycle test at bench size, for `npm run bench`: random concurrent artikey processes and
// SIGKILLs against two fake instances until at least LIFECYCLE_KILLS processes were killed; prints
// one JSON line with rounds, operations, kill trials, invariant violations and unavoidable losses.
import { describeFailures, runLifecycle } from '../../test/support/lifecycle.js';

const seed = Number(process.env['LIFECYCLE_SEED'] ?? Date.now() % 1_000_000);
const report = await runLifecycle({
  seed,
  minRounds: Number(process.env['LIFECYCLE_ROUNDS'] ?? 20),
  minKills: Number(process.env['LIFECYCLE_KILLS'] ?? 300),
  ...(process.env['LIFECYCLE_CLI_ROOT'] ? { cliRoot: process.env['LIFECYCLE_CLI_ROOT'] } : {}),
  budgetMs: Number(process.env['LIFECYCLE_BUDGET_MS'] ?? 20 * 60_000),
  ...(process.env['LIFECYCLE_VERBOSE']
    ? {
        progress: (line: string, log: string[]) =>
          process.stderr.write(
            `${line}\n${process.env['LIFECYCLE_VERBOSE'] === '2' ? `${log.join('\n')}\n` : ''}`,
          ),
      }
    : {}),
});
if (report.violations.length > 0)
  process.stderr.write(`${describeFailures(report, Number(process.env['LIFECYCLE_SHOW'] ?? 3))}\n`);
process.stdout.write(
  `${JSON.stringify({ seed, rounds: report.rounds, operations: report.operations, kills: report.kills, killsByOperation: report.killsByOperation, violations: report.violations.length, violationsByInvariant: report.violationsByInvariant, unavoidableLosses: report.unavoidableLosses, loginWindowOrphans: report.loginWindowOrphans, loginOrphansSwept: report.loginOrphansSwept, msPerRound: report.msPerRound })}\n`,
);
