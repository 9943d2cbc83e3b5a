import { describe, expect, it } from 'vitest';
import { withoutCredentials } from '../../electron/core/scan/classify.js';

// What scan, migrate and the Helm, Poetry, uv, Cargo and Bun editors show of a URL someone wrote
// (an error, a note, a restore note): never its user name or password.
describe('withoutCredentials', () => {
  it('takes out the user information a URL parser reads, a user name holding an @ included', () => {
    expect(withoutCredentials('https://bob:pw@charts.example/stable')).toBe(
      'https://charts.example/stable',
    );
    expect(withoutCredentials('https://build@corp:pw@charts.example/')).toBe(
      'https://charts.example/',
    );
    expect(withoutCredentials('https://charts.example/a@b')).toBe('https://charts.example/a@b');
  });

  // A URL the WHATWG parser refuses (a numeric last label) is cut by hand: it stopped at the first
  // `@`, so `corp:pw@` of `build@corp:pw@` stayed in what was shown.
  it('does the same by hand for a URL the WHATWG parser refuses, and keeps an @ after the host part', () => {
    expect(withoutCredentials('https://build@corp:pw@sub.10.0.0.1/simple/')).toBe(
      'https://sub.10.0.0.1/simple/',
    );
    expect(withoutCredentials('https://sub.10.0.0.1/simple/?q=a@b')).toBe(
      'https://sub.10.0.0.1/simple/?q=a@b',
    );
    expect(withoutCredentials('https://sub.10.0.0.1#x@y')).toBe('https://sub.10.0.0.1#x@y');
  });
});
