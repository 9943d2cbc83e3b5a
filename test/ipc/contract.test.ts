import { describe, expect, expectTypeOf, it } from 'vitest';
import {
  channel,
  type AppInfo,
  type ArtikeyBridge,
  type Result,
} from '../../electron/ipc/contract.js';

describe('the IPC contract', () => {
  it('namespaces every channel', () => {
    expect(channel('app.version')).toBe('artikey:app.version');
  });

  it('derives the bridge the page sees from the method list', () => {
    // Checked by tsc: a method added to the contract changes this type, not a second declaration.
    expectTypeOf<ArtikeyBridge['app']['version']>().toEqualTypeOf<() => Promise<Result<AppInfo>>>();
    expectTypeOf<keyof ArtikeyBridge>().toEqualTypeOf<'app'>();
  });
});
