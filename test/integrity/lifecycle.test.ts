import { describe, expect, it } from 'vitest';
import { ensureBuilt } from '../support/built.js';
import { describeFailures, runLifecycle } from '../support/lifecycle.js';

/**
 * Issue 14's model-based lifecycle test, bounded for `npm test`: real `artikey` processes (and the
 * agent) log in, configure and unconfigure tools, refresh, hand out tokens, revoke and log out at
 * once against two fake instances, and a keychain that is unavailable to some of them; after
 * every round the files, the state, the keychain and the servers must agree (see
 * test/support/lifecycle.ts for the invariants). Some processes are SIGKILLed at random moments
 * (fewer than in `npm run bench`, which runs until 300 were killed): what a kill leaves half-done
 * the next command must finish, and only the documented windows (a session lost in a refresh, a
 * token a killed login left until the next login or refresh) are excused, counted, not violations.
 * A failure prints its seed: LIFECYCLE_SEED=<seed> replays the same choices.
 */
describe('the credential lifecycle, with many processes at once', () => {
  it('keeps every invariant round after round', async () => {
    ensureBuilt();
    const seed = Number(process.env['LIFECYCLE_SEED'] ?? Math.floor(Math.random() * 1_000_000));
    // A time budget with a floor: a busy two-core machine runs fewer rounds, never fewer than six.
    const report = await runLifecycle({ seed, minRounds: 6, budgetMs: 55_000, killRate: 0.2 });
    // The message is the whole story: seed, and per broken round the operation log and what broke.
    expect(report.violations.length, describeFailures(report)).toBe(0);
    expect(report.operations).toBeGreaterThan(report.rounds);
    expect(report.kills).toBeGreaterThan(0);
  }, 150_000);
});
