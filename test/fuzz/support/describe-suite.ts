import { afterAll, describe, it } from 'vitest';
import { checkProperty, type FuzzSuite } from './fuzz-run.js';

/**
 * One Vitest test per property of the editor's suite; the suite's processes stop afterwards. The
 * limit is generous: a property running a real binary (yarn, mvn) a few times takes over a minute
 * on a loaded 2-core CI machine.
 */
export function describeSuite(suite: FuzzSuite, timeout = 300_000): void {
  describe(`fuzzing ${suite.editor}`, () => {
    afterAll(async () => {
      await suite.close?.();
    });
    for (const property of suite.properties)
      it(property.name, () => checkProperty(property), timeout);
  });
}
