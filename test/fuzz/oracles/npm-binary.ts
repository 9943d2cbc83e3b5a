/**
 * The real `npm` binary as the oracle of a bounded property: after configure, `npm view` of a
 * package sends the registry Artikey configured exactly the token Artikey wrote. The instance is
 * a plain-HTTP host that does not resolve (`http://art.example.com:8081/`) and npm's `--proxy`
 * points at a server in this process, which sees each request and its Authorization header
 * (npm sends no proxy for loopback registries, and HTTPS would hide the header in CONNECT).
 */
import { execFile } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import fc from 'fast-check';
import { expect } from 'vitest';
import type { TargetSpec } from '../../../electron/core/targets/target-record.js';
import { definitionOf } from '../../../electron/core/targets/target-kinds.js';
import { renderWrite } from '../../../electron/core/targets/targets.js';
import { NPM_ENV } from './npm-oracle.js';
import type { FuzzProperty } from '../support/fuzz-run.js';
import { npmFile, type Instance } from '../support/ini-arbitraries.js';
import { assemble } from '../support/ini-lines.js';
import { credentials } from '../support/target-cycle.js';
import { token } from '../support/text-arbitraries.js';

const INSTANCE: Instance = {
  platformUrl: 'http://art.example.com:8081/',
  host: 'art.example.com',
  port: 8081,
};

interface Seen {
  url: string;
  authorization: string | undefined;
}

export class NpmBinary {
  #server: Promise<{ server: Server; port: number }> | null = null;
  readonly #seen: Seen[] = [];

  constructor(private readonly scratch: string) {}

  #proxy(): Promise<{ server: Server; port: number }> {
    this.#server ??= new Promise((resolve) => {
      const server = createServer((request, response) => {
        this.#seen.push({ url: request.url ?? '', authorization: request.headers.authorization });
        response.writeHead(404, { 'content-type': 'application/json' });
        response.end('{"error":"not found"}');
      });
      server.listen(0, '127.0.0.1', () =>
        resolve({ server, port: (server.address() as AddressInfo).port }),
      );
    });
    return this.#server;
  }

  /** What the proxy saw while `npm view <pkg>` ran against the user config `rc`. */
  async #view(rc: string, pkg: string, registry: string | null): Promise<Seen[]> {
    const { port } = await this.#proxy();
    this.#seen.length = 0;
    const home = join(this.scratch, 'npm-home');
    mkdirSync(home, { recursive: true });
    const args = [
      'view',
      pkg,
      'name',
      '--userconfig',
      rc,
      '--globalconfig',
      join(home, 'no-globalconfig'),
      '--proxy',
      `http://127.0.0.1:${port}`,
      '--fetch-retries',
      '0',
      '--no-update-notifier',
      ...(registry === null ? [] : ['--registry', registry]),
    ];
    await new Promise<void>((resolve) => {
      execFile(
        'npm',
        args,
        {
          cwd: home,
          env: {
            PATH: process.env['PATH'],
            HOME: home,
            npm_config_cache: join(home, 'cache'),
            ...NPM_ENV,
          },
          timeout: 30_000,
        },
        () => resolve(), // a 404 is the expected answer: only what npm sent matters
      );
    });
    return [...this.#seen];
  }

  readonly property: FuzzProperty = {
    name: 'npm binary: `npm view` sends the registry Artikey configured the token Artikey wrote',
    cases: 5,
    benchCases: 40,
    property: () =>
      fc.asyncProperty(
        npmFile({ instance: fc.constant(INSTANCE) }),
        fc.boolean(),
        token(),
        async (parts, setRegistry, tok) => {
          const spec = definitionOf('npm').fromRequest({
            options: { ...(parts.scope === null ? {} : { scope: parts.scope }), setRegistry },
            platformUrl: INSTANCE.platformUrl,
            instanceName: 'Acme Art',
            artifactoryUrl: `${INSTANCE.platformUrl}artifactory/`,
            path: join(this.scratch, 'binary.npmrc'),
            repo: () => parts.repo,
            environment: { platform: 'linux', env: {}, home: this.scratch },
          }) as Extract<TargetSpec, { kind: 'npm' }>;
          let text: string;
          try {
            text = renderWrite(spec, assemble(parts.file), credentials(tok), {
              replaceReferences: true,
            }).text;
          } catch {
            return; // the round-trip properties check refusals
          }
          writeFileSync(spec.path, text);
          const pkg = parts.scope === null ? 'fuzz-package' : `${parts.scope}/fuzz-package`;
          const seen = await this.#view(spec.path, pkg, spec.setRegistry ? null : spec.registryUrl);
          expect(seen.length).toBeGreaterThan(0);
          const first = seen[0]!;
          expect(first.url.startsWith(spec.registryUrl)).toBe(true);
          expect(first.authorization).toBe(`Bearer ${tok}`);
        },
      ),
  };

  async close(): Promise<void> {
    if (this.#server === null) return;
    const { server } = await this.#server;
    await new Promise((resolve) => server.close(resolve));
  }
}
