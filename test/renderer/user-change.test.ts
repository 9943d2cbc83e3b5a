import { describe, expect, it } from 'vitest';
import { userChange } from '../../renderer/src/lib/user-change.js';

describe('the question after a user-mismatch refusal', () => {
  it('names the user logged in and the one logging in, as the core words it', () => {
    expect(userChange('Acme is logged in as alice, and this login is bob: it would replace alice with bob. Nothing was changed.')).toEqual({ from: 'alice', to: 'bob' });
    expect(userChange('The server is unreachable.')).toBeNull();
  });
});
