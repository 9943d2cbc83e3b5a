#!/usr/bin/env node
import { dirname } from 'node:path';
import { agentMayListen, agentSocketPath } from '../core/agent-socket-path.js';
import type { AgentReply } from '../core/agent-socket.js';
import type { Artikey } from '../core/artikey.js';
import { registryHostOf } from '../core/docker-hosts.js';
import { errorCode } from '../core/errors.js';
import { redact } from '../core/logger.js';
import { stateFilePath } from '../core/paths.js';
import { stdinText, writeStdout } from './plain-stdio.js';

/**
 * The Docker credential-helper protocol: the action is the argument, the payload comes on stdin,
 * answers are JSON on stdout, and errors are plain text on stdout with exit code 1.
 */
const NOT_FOUND = 'credentials not found in native keychain';

/** The whole core (HTTP, token verification, tool files) is loaded only when a command needs it. */
const loadArtikey = async (): Promise<Artikey> =>
  (await import('./create-artikey.js')).createArtikey();

async function main(action: string | undefined): Promise<number> {
  switch (action) {
    case 'version':
      return (
        say(`docker-credential-artikey ${(await import('./docker-quick-get.js')).version}`),
        0
      );
    case 'get': {
      const server = (await stdinText()).trim();
      const reply = await askRunningAgent(server);
      if (reply?.ok) {
        if (!reply.answer) return (say(NOT_FOUND), 1);
        return (
          say(
            JSON.stringify({
              ServerURL: server,
              Username: reply.answer.username,
              Secret: reply.answer.secret,
            }),
          ),
          0
        );
      }
      if (reply) return (say(`${redact(reply.message)} [${reply.code}]`), 1);
      // Loaded only now: with an agent running, `get` needs none of it.
      const quick = await (await import('./docker-quick-get.js')).quickGet(server);
      if (quick === 'unknown-host') return (say(NOT_FOUND), 1);
      if (quick)
        return (
          say(
            JSON.stringify({ ServerURL: server, Username: quick.username, Secret: quick.secret }),
          ),
          0
        );
      const credentials = await (await loadArtikey()).dockerCredentials(server);
      if (!credentials) return (say(NOT_FOUND), 1);
      return (
        say(
          JSON.stringify({
            ServerURL: server,
            Username: credentials.username,
            Secret: credentials.secret,
          }),
        ),
        0
      );
    }
    case 'list': {
      const entries = (await (await loadArtikey()).dockerHosts()).map(({ host, username }) => [
        host,
        username ?? '',
      ]);
      return (say(JSON.stringify(Object.fromEntries(entries))), 0);
    }
    case 'store': {
      // `docker login` stores what it was given; Artikey's own tokens already serve its hosts.
      const payload = JSON.parse((await stdinText()) || '{}') as { ServerURL?: unknown };
      const server = typeof payload.ServerURL === 'string' ? payload.ServerURL : '';
      if (await (await loadArtikey()).dockerCredentials(server).then(Boolean, () => true)) return 0;
      return (
        say(
          `${server || 'this registry'} is not an Artikey instance; remove it from credHelpers in config.json or log in with \`artikey login\`.`,
        ),
        1
      );
    }
    case 'erase': {
      const server = registryHostOf((await stdinText()).trim());
      // Logging out of Docker does not log out of Artikey; use `artikey logout` for that. Only a
      // host Artikey serves, exactly, is acknowledged (`acme.jfrog.io.evil.com` is not acme's).
      const hosts = await (await loadArtikey()).dockerHosts();
      return server !== '' && hosts.some(({ host }) => registryHostOf(host) === server)
        ? 0
        : (say(NOT_FOUND), 1);
    }
    default:
      return (say('Usage: docker-credential-artikey <get|store|erase|list|version>'), 1);
  }
}

/** A running agent (the desktop app or `artikey agent`) answers from memory. */
async function askRunningAgent(server: string): Promise<AgentReply | null> {
  const socket = agentSocketPath(dirname(stateFilePath()));
  if (!agentMayListen(socket)) return null;
  return (await import('../core/agent-socket.js')).askAgent(socket, { op: 'docker-get', server });
}

function say(text: string): void {
  writeStdout(`${text}\n`);
}

// Bundled as CommonJS (build.mjs), which has no top-level await.
void main(process.argv[2])
  .catch((error: unknown) => {
    // Errors go to stdout: that is where Docker reads them.
    say(`${redact(error instanceof Error ? error.message : String(error))} [${errorCode(error)}]`);
    return 1;
  })
  .then((code) => {
    process.exitCode = code;
  });
