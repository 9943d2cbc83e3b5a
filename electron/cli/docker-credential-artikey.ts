#!/usr/bin/env node
import { errorCode } from '../core/errors.js';
import { redact } from '../core/logger.js';
import { readAll } from './prompt.js';
import { createArtikey, version } from './environment.js';

/**
 * The Docker credential-helper protocol: the action is the argument, the payload comes on stdin,
 * answers are JSON on stdout, and errors are plain text on stdout with exit code 1.
 */
const NOT_FOUND = 'credentials not found in native keychain';

async function main(action: string | undefined): Promise<number> {
  const artikey = createArtikey();
  switch (action) {
    case 'version':
      return say(`docker-credential-artikey ${version}`), 0;
    case 'get': {
      const server = (await readAll(process.stdin)).trim();
      const credentials = await artikey.dockerCredentials(server);
      if (!credentials) return say(NOT_FOUND), 1;
      return say(JSON.stringify({ ServerURL: server, Username: credentials.username, Secret: credentials.secret })), 0;
    }
    case 'list': {
      const entries = (await artikey.dockerHosts()).map(({ host, username }) => [host, username ?? '']);
      return say(JSON.stringify(Object.fromEntries(entries))), 0;
    }
    case 'store': {
      // `docker login` stores what it was given; Artikey's own tokens already serve its hosts.
      const payload = JSON.parse((await readAll(process.stdin)) || '{}') as { ServerURL?: unknown };
      const server = typeof payload.ServerURL === 'string' ? payload.ServerURL : '';
      if (await artikey.dockerCredentials(server).then(Boolean, () => true)) return 0;
      return say(`${server || 'this registry'} is not an Artikey instance; remove it from credHelpers in config.json or log in with \`artikey login\`.`), 1;
    }
    case 'erase': {
      const server = (await readAll(process.stdin)).trim();
      // Logging out of Docker does not log out of Artikey; use `artikey logout` for that.
      return (await artikey.dockerHosts()).some(({ host }) => server.includes(host)) ? 0 : (say(NOT_FOUND), 1);
    }
    default:
      return say('Usage: docker-credential-artikey <get|store|erase|list|version>'), 1;
  }
}

function say(text: string): void {
  process.stdout.write(`${text}\n`);
}

process.exitCode = await main(process.argv[2]).catch((error: unknown) => {
  // Errors go to stdout: that is where Docker reads them.
  say(`${redact(error instanceof Error ? error.message : String(error))} [${errorCode(error)}]`);
  return 1;
});
