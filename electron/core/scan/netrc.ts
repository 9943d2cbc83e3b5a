import { readNetrc } from '../targets/netrc.js';
import { credentialFrom, type FindContext } from './classify.js';
import { inLineOrder, type Findings } from './findings.js';

/** `~/.netrc`: `machine <host> login <user> password <secret>`, and the `default` entry. */
export function findInNetrc(context: FindContext, text: string): Findings {
  const found = readNetrc(text).map((entry) =>
    entry.password === null
      ? null
      : credentialFrom(context, {
          location: entry.machine === null ? 'default' : `machine ${entry.machine}`,
          line: entry.line,
          url: entry.machine,
          host: entry.machine === null ? null : entry.machine.toLowerCase(),
          username: entry.login,
          secret: entry.password,
        }),
  );
  return { found: inLineOrder(found), notes: [] };
}
