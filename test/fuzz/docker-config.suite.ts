/**
 * docker-config.ts and json-members.ts as the docker-helper, docker-auths and podman kinds use
 * them, against Docker's and containers/image's own reading (test/fuzz/oracles/json_oracle.go,
 * encoding/json into their structs) and the real `docker` binary.
 */
import { spawn } from 'node:child_process';
import { chmodSync, mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import fc from 'fast-check';
import { registryHostOf } from '../../electron/core/docker-hosts.js';
import { planMigration } from '../../electron/core/migrate.js';
import { findInDockerConfig } from '../../electron/core/scan/docker.js';
import { cleanerOf, definitionOf } from '../../electron/core/targets/target-kinds.js';
import type { TargetSpec } from '../../electron/core/targets/target-record.js';
import { renderWrite } from '../../electron/core/targets/targets.js';
import { ToolFileError } from '../../electron/core/targets/tool-file.js';
import {
  basic,
  dockerFile,
  type DockerFile,
  type DockerFileOptions,
} from './support/docker-json-files.js';
import type { FuzzProperty, FuzzSuite } from './support/fuzz-run.js';
import { edgeSpace } from './support/json-arbitraries.js';
import { OracleProcess, OraclePool, goProgram } from './support/oracle-process.js';
import {
  credentials,
  cycle,
  diskCycle,
  expectRefusedUntouched,
  fileBytes,
  recordOf,
  removal,
  USERNAME,
} from './support/target-cycle.js';
import { occurrences, token } from './support/text-arbitraries.js';

type Kind = 'docker-helper' | 'docker-auths' | 'podman';
const KINDS: Kind[] = ['docker-helper', 'docker-auths', 'podman'];

const INSTANCES = [
  'https://art.example.com/',
  'http://127.0.0.1:8081/',
  'https://art.example.com:8443/prefix/',
];

const scratch = mkdtempSync(join(tmpdir(), 'artikey-fuzz-docker-'));
let files = 0;
const freshPath = (name: string): string => {
  const dir = join(scratch, String(files++));
  mkdirSync(dir);
  return join(dir, name);
};

/** The spec `artikey configure` makes for the kind: the instance's host, or `--host`s. */
const specOf = (kind: Kind, platformUrl: string, hosts: string[] | undefined, path: string) =>
  definitionOf(kind).fromRequest({
    options: { hosts, ...(kind === 'docker-auths' ? { auths: true } : {}) },
    platformUrl,
    instanceName: 'fuzz',
    artifactoryUrl: `${platformUrl}artifactory/`,
    path,
    repo: () => 'docker-local',
    environment: { platform: 'linux', env: {}, home: '/nonexistent' },
  }) as TargetSpec & { hosts: string[] };

/** A spec of the kind: the default host, or `--host`s (a repository subdomain, upper case, duplicates). */
const spec = (kind: Kind) =>
  fc.tuple(fc.constantFrom(...INSTANCES), fc.nat({ max: 3 })).map(([url, form]) => {
    const own = registryHostOf(url);
    const hosts = [
      undefined,
      [own.toUpperCase()],
      /^\d/.test(own) ? [own] : [`docker-local.${own}`, own],
      [own, `https://${own}/`, own],
    ][form];
    return specOf(kind, url, hosts, freshPath(kind === 'podman' ? 'auth.json' : 'config.json'));
  });

/** What the generator may put in for the spec's own hosts, for a cycle that gives the file back. */
const cycleOptions = (kind: Kind, own: string[]): DockerFileOptions => ({
  own,
  // A login of the person's own under the host is replaced in auths mode and not put back (the
  // state file never holds a secret): the migrate property covers that case.
  ownAuths: kind === 'docker-auths' ? ['none', 'marker'] : ['none', 'marker', 'login'],
  // In auths mode a helper for the host (or a credsStore) makes the edit refused: in few files,
  // so most cases exercise the edit.
  ownHelper: kind !== 'docker-auths',
  credsStore: kind === 'docker-auths' ? 'rare' : true,
  goSpellings: true,
});

/** Arbitraries cost more to build than to draw from: one per kind and hosts. */
const made = new Map<string, fc.Arbitrary<DockerFile>>();
const memo = (key: string, make: () => fc.Arbitrary<DockerFile>): fc.Arbitrary<DockerFile> => {
  let arbitrary = made.get(key);
  if (!arbitrary) made.set(key, (arbitrary = make()));
  return arbitrary;
};

/** A file the cycle applies to, or a blank one (which Docker reads as `{}`). */
const original = (kind: Kind, own: string[]): fc.Arbitrary<DockerFile> =>
  memo(`${kind} ${own.join(' ')}`, () => originalOf(kind, own));

const originalOf = (kind: Kind, own: string[]): fc.Arbitrary<DockerFile> =>
  fc.oneof(
    { weight: 20, arbitrary: dockerFile(cycleOptions(kind, own)) },
    {
      weight: 1,
      arbitrary: edgeSpace().map((text) => ({
        text,
        secrets: [],
        goSpelling: false,
        credsStore: false,
      })),
    },
  );

const specAndFile = (kind: Kind) =>
  spec(kind).chain((s) => fc.tuple(fc.constant(s), original(kind, s.hosts)));

const isRefusal = (error: unknown, code: string): boolean =>
  error instanceof ToolFileError && error.code === code;

const LINE_AND_COLUMN = /line \d+, column \d+/;

/**
 * Runs the cycle, or checks the refusals the file calls for: a key Docker folds to a section
 * (`Auths`) is refused naming its place; auths mode is refused where Docker would ask a helper
 * (checked against Docker's reading in the oracle property). Null: refused as it should be.
 */
function cycleOrRefusal(
  kind: Kind,
  s: TargetSpec,
  file: DockerFile,
  first: string,
  second: string,
): ReturnType<typeof cycle> | null {
  try {
    const result = cycle(s, file.text, first, second);
    if (file.goSpelling)
      throw new Error('a key Docker reads as a section, spelt otherwise, was not refused');
    return result;
  } catch (error) {
    if (file.goSpelling && isRefusal(error, 'tool-file-invalid')) {
      if (!LINE_AND_COLUMN.test((error as Error).message))
        throw new Error(`the refusal names no line and column: ${(error as Error).message}`);
      return null;
    }
    if (kind === 'docker-auths' && isRefusal(error, 'tool-file-conflict')) return null;
    throw error;
  }
}

/** Blank files come back as `{}`: Docker reads both as the same empty configuration. */
const expectedBack = (text: string): string => (text.trim() === '' ? '{}\n' : text);

const roundTrip = (kind: Kind): FuzzProperty => ({
  name: `${kind}: configure, refresh, unconfigure gives back the exact bytes`,
  cases: 100,
  property: () =>
    fc.property(specAndFile(kind), token(), token(), ([s, file], first, second) => {
      fc.pre(first !== second);
      const result = cycleOrRefusal(kind, s, file, first, second);
      if (result === null) return;
      if (result.removed !== expectedBack(file.text))
        throw new Error(
          `unconfigure did not give the file back:\n${JSON.stringify(file.text)}\n${JSON.stringify(result.removed)}`,
        );
      for (const value of Object.values(result.record.restore))
        for (const secret of file.secrets)
          if (value.includes(secret))
            throw new Error('the restore notes hold a secret of the file');
    }),
});

const tokenPlacement = (kind: Kind): FuzzProperty => ({
  name: `${kind}: the token lies only in the instance's auth entries, and goes with unconfigure`,
  cases: 100,
  property: () =>
    fc.property(specAndFile(kind), token(), token(), ([s, file], first, second) => {
      fc.pre(first !== second);
      const result = cycleOrRefusal(kind, s, file, first, second);
      if (result === null) return;
      const hosts = new Set(s.hosts).size;
      const expect = (text: string | null, needle: string, count: number, when: string): void => {
        const found = occurrences(text ?? '', needle);
        if (found !== count)
          throw new Error(`${when}: ${found} copies of the credential, not ${count}`);
      };
      for (const [text, when] of [
        [result.configured, 'configured'],
        [result.refreshed, 'refreshed'],
        [result.removed, 'removed'],
      ] as const) {
        expect(text, first, 0, when);
        expect(text, second, 0, when);
      }
      const encoded = (t: string): string => basic(USERNAME, t);
      const inAuths = kind === 'docker-auths' ? hosts : 0;
      expect(result.configured, encoded(first), inAuths, 'configured');
      expect(result.refreshed, encoded(first), 0, 'refreshed');
      expect(result.refreshed, encoded(second), inAuths, 'refreshed');
      expect(result.removed, encoded(second), 0, 'removed');
    }),
});

// ---- Docker's and Podman's own reading ---------------------------------------------------

interface GoAuth {
  username?: string;
  password?: string;
  identitytoken?: string;
  auth?: string;
}
interface GoAnswer {
  error?: string;
  config?: { auths: Record<string, GoAuth> | null; credHelpers?: Record<string, string> } & Record<
    string,
    unknown
  >;
  lookup?: Record<string, { helper?: string; auth?: GoAuth; legacy?: GoAuth[] }>;
}

const pool = new OraclePool();
const goOracle = (): OracleProcess =>
  pool.get('json_oracle', () => {
    const binary = goProgram(fileURLToPath(new URL('./oracles/json_oracle.go', import.meta.url)));
    return new OracleProcess('json_oracle', binary, []);
  });

const toolOf = (kind: Kind): string => (kind === 'podman' ? 'podman' : 'docker');

async function read(kind: Kind, text: string, hosts: string[]): Promise<GoAnswer> {
  // Podman refuses an empty file; Docker and Artikey read it as `{}`.
  const given = kind === 'podman' && text.trim() === '' ? '{}' : text;
  return goOracle().ask<GoAnswer>({ tool: toolOf(kind), text: given, hosts });
}

/** The reading without the named entries: what must stay as it was. */
function without(
  answer: GoAnswer,
  sections: { auths?: string[]; credHelpers?: string[] },
): unknown {
  const config = structuredClone(answer.config ?? {}) as Record<string, unknown>;
  for (const [name, keys] of Object.entries(sections)) {
    const values = (config[name] ?? {}) as Record<string, unknown>;
    for (const key of keys) delete values[key];
    config[name] = Object.keys(values).length === 0 ? null : values;
  }
  return config;
}

/** JSON with object keys sorted: Go's maps have no order, and ours must not matter. */
const canonical = (value: unknown): string =>
  JSON.stringify(value, (_key, v: unknown) =>
    v !== null && typeof v === 'object' && !Array.isArray(v)
      ? Object.fromEntries(Object.entries(v).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)))
      : v,
  );

const sameJson = (a: unknown, b: unknown): boolean => canonical(a) === canonical(b);

/** Docker's entry for each own host is Artikey's; every other entry reads as before. */
const toolReading = (kind: Kind): FuzzProperty => ({
  name: `${kind}: ${toolOf(kind)} reads Artikey's entry for each host and every other entry as before (Go encoding/json oracle)`,
  cases: 40,
  property: () =>
    fc.asyncProperty(specAndFile(kind), token(), token(), async ([s, file], first, second) => {
      fc.pre(first !== second);
      const before = await read(kind, file.text, s.hosts);
      if (before.error !== undefined)
        throw new Error(`the generator made a file ${toolOf(kind)} refuses: ${before.error}`);
      let result: ReturnType<typeof cycle> | null;
      try {
        result = cycleOrRefusal(kind, s, file, first, second);
      } catch (error) {
        throw error;
      }
      if (result === null) {
        if (file.goSpelling) return;
        // Auths mode was refused: Docker must be asking a helper for one of the hosts.
        const helped = s.hosts.some((h) => (before.lookup?.[h]?.helper ?? '') !== '');
        if (!helped) throw new Error('auths mode was refused though Docker would read auths');
        return;
      }
      if (kind === 'docker-auths') {
        const helped = s.hosts.filter((h) => (before.lookup?.[h]?.helper ?? '') !== '');
        if (helped.length > 0)
          throw new Error(
            `an auths entry was written though Docker asks a helper for ${helped.join(', ')}`,
          );
      }
      const own = { [kind === 'docker-auths' ? 'auths' : 'credHelpers']: s.hosts };
      for (const [text, t] of [
        [result.configured, first],
        [result.refreshed, second],
      ] as const) {
        const after = await read(kind, text, s.hosts);
        if (after.error !== undefined)
          throw new Error(`${toolOf(kind)} refuses the result: ${after.error}`);
        for (const host of s.hosts) {
          const seen = after.lookup?.[host];
          const ok =
            kind === 'docker-auths'
              ? seen?.auth?.username === USERNAME && seen.auth.password === t
              : seen?.helper === 'artikey';
          if (!ok) throw new Error(`${toolOf(kind)} reads ${JSON.stringify(seen)} for ${host}`);
        }
        if (!sameJson(without(after, own), without(before, own)))
          throw new Error(
            `another entry reads differently:\n${canonical(without(before, own))}\n${canonical(without(after, own))}`,
          );
      }
      const back = await read(kind, result.removed ?? '', s.hosts);
      if (!sameJson(back.config, before.config) || !sameJson(back.lookup, before.lookup))
        throw new Error('after unconfigure the file reads differently than before');
    }),
});

// ---- Refused files and the disk ----------------------------------------------------------

/** Text that is not a JSON object: a valid file broken in one place, or another JSON value. */
const brokenText = (): fc.Arbitrary<string> =>
  fc
    .oneof(
      fc
        .tuple(
          dockerFile(cycleOptions('docker-helper', ['art.example.com'])),
          fc.nat(),
          fc.constantFrom(
            ',',
            '//x',
            '/* c */',
            "'",
            'NaN',
            '}',
            ']',
            '\u0000',
            '01',
            '\\',
            'tru',
            '{',
            '"',
            ':',
          ),
        )
        .map(([file, at, junk]) => {
          const cut = at % (file.text.length + 1);
          return at % 4 === 0
            ? file.text.slice(0, cut)
            : file.text.slice(0, cut) + junk + file.text.slice(cut);
        }),
      fc
        .tuple(
          edgeSpace(),
          fc.constantFrom('[]', '"x"', '12', 'null', 'true', '[{"auths":{}}]'),
          edgeSpace(),
        )
        .map(([a, value, b]) => a + value + b),
    )
    .filter((text) => {
      if (text.trim() === '') return false;
      try {
        const value: unknown = JSON.parse(text);
        return typeof value !== 'object' || value === null || Array.isArray(value);
      } catch {
        return true;
      }
    });

const refused: FuzzProperty = {
  name: 'a file that is not a JSON object (or spells a section the Go way) is refused naming line and column, bytes and mtime unchanged',
  cases: 40,
  benchCases: 3000,
  property: () =>
    fc.asyncProperty(
      fc.constantFrom(...KINDS).chain((kind) => spec(kind)),
      fc.oneof(
        brokenText(),
        dockerFile({ ...cycleOptions('docker-helper', ['art.example.com']), goSpellings: true })
          .filter((f) => f.goSpelling)
          .map((f) => f.text),
      ),
      fc.boolean(),
      token(),
      async (generated, text, bom, t) => {
        const s = { ...generated, path: freshPath('config.json') };
        await expectRefusedUntouched(s, fileBytes(text, bom), t);
      },
    ),
};

const disk: FuzzProperty = {
  name: 'on the disk, configure then unconfigure gives back the bytes (a byte-order mark too) or deletes the file it created',
  cases: 20,
  benchCases: 2000,
  property: () =>
    fc.asyncProperty(
      fc
        .constantFrom(...KINDS)
        .chain((kind) =>
          spec(kind).chain((s) =>
            fc.tuple(
              fc.constant(kind),
              fc.constant(s),
              fc.option(original(kind, s.hosts), { freq: 8, nil: null }),
            ),
          ),
        ),
      fc.boolean(),
      token(),
      async ([kind, generated, file], bom, t) => {
        // A path of its own per run: shrinking runs a spec again.
        const s = {
          ...generated,
          path: freshPath(kind === 'podman' ? 'auth.json' : 'config.json'),
        };
        const bytes = file === null ? null : fileBytes(file.text, bom);
        let left: Buffer | null;
        try {
          left = await diskCycle(s, bytes, t);
        } catch (error) {
          if (file?.goSpelling && isRefusal(error, 'tool-file-invalid')) return;
          if (kind === 'docker-auths' && isRefusal(error, 'tool-file-conflict')) return;
          throw error;
        }
        if (bytes === null) {
          if (left !== null) throw new Error('the file Artikey created was left behind');
          return;
        }
        const expected = fileBytes(expectedBack(file!.text), bom);
        if (left === null || !left.equals(expected)) throw new Error('the bytes did not come back');
      },
    ),
};

// ---- Migrate: the person's plain-text login becomes Artikey's helper entry ----------------

/**
 * `artikey migrate` as the use case runs it, without the disk: scan, plan (the kind's `adopt`),
 * write the helper entry, take the old auths entry out. Unconfigure afterwards leaves the
 * original minus exactly the adopted login (documented: the old secret is gone for good; the
 * migrate backup keeps it).
 */
const migrate = (kind: 'docker-helper' | 'podman'): FuzzProperty => ({
  name: `${kind}: migrate replaces the instance's plain-text login with the helper entry, the old secret gone and every other entry as before`,
  cases: 40,
  property: () =>
    fc.asyncProperty(
      fc.constantFrom(...INSTANCES).chain((url) => {
        const own = registryHostOf(url);
        return fc.tuple(
          fc.constant(url),
          dockerFile({
            own: [own],
            ownAuths: ['none', 'marker', 'login'],
            ownHelper: false,
            credsStore: true,
            goSpellings: false,
            ownLoginKeys: [own, `https://${own}`, `${own}/`, `http://${own}/v2/`],
          }),
        );
      }),
      token(),
      async ([url, file], t) => {
        const path = freshPath(kind === 'podman' ? 'auth.json' : 'config.json');
        const own = registryHostOf(url);
        const tool = kind === 'podman' ? 'podman' : 'docker';
        const found = findInDockerConfig(
          { tool, file: path, instances: [{ id: 'fuzz', platformUrl: url, registryHost: own }] },
          file.text,
        ).found;
        const steps = planMigration(
          found,
          { id: 'fuzz', platformUrl: url, username: USERNAME },
          [],
          { platform: 'linux', env: {}, home: '/nonexistent' },
        );
        let text = file.text;
        const records = [];
        const cleaned: string[] = [];
        for (const step of steps) {
          if (step.action !== 'replace') continue;
          const written = renderWrite(step.target, text, credentials(t));
          records.push(recordOf(step.target, text, written.restore));
          text = written.text;
          if (step.cleanup) {
            text = cleanerOf(step.cleanup.kind)!.edit(text, step.cleanup);
            cleaned.push(...(step.cleanup as unknown as { hosts: string[] }).hosts);
          }
        }
        const adopted = found.filter((c) => c.instanceId === 'fuzz');
        if (adopted.length === 0) throw new Error('the scan found no login of the instance');
        const hosts = [
          ...new Set(records.flatMap((r) => (r as unknown as { hosts: string[] }).hosts)),
        ];
        const before = await read(kind, file.text, hosts);
        const after = await read(kind, text, hosts);
        if (after.error !== undefined)
          throw new Error(`${tool} refuses the migrated file: ${after.error}`);
        for (const host of hosts)
          if (after.lookup?.[host]?.helper !== 'artikey')
            throw new Error(`${tool} reads ${JSON.stringify(after.lookup?.[host])} for ${host}`);
        for (const c of adopted)
          if (
            occurrences(text, c.secret) > 0 ||
            occurrences(text, basic(c.username ?? '', c.secret)) > 0
          )
            throw new Error(`the adopted secret at ${c.location} is still in the file`);
        // Migrate takes out the instance's logins for the host, in each form Docker falls back to.
        const replaced = Object.keys(before.config?.auths ?? {}).filter(
          (key) => cleaned.includes(key) || cleaned.includes(registryHostOf(key)),
        );
        const strip = { auths: replaced, credHelpers: hosts };
        if (!sameJson(without(after, strip), without(before, strip)))
          throw new Error(
            `another entry reads differently:\n${canonical(without(before, strip))}\n${canonical(without(after, strip))}`,
          );
        let back = text;
        for (const record of records.reverse()) back = removal(record, back) ?? '';
        const unconfigured = await read(kind, back, hosts);
        if (
          !sameJson(
            without(unconfigured, { auths: replaced }),
            without(before, { auths: replaced }),
          )
        )
          throw new Error('unconfigure after migrate left more than the adopted login changed');
      },
    ),
});

// ---- The real docker binary ---------------------------------------------------------------

/**
 * `docker pull` with no daemon still resolves the credentials for the registry (credHelpers,
 * credsStore, auths) and sends them to the daemon in `X-Registry-Auth`: a fake daemon on
 * loopback records them, and a fake `docker-credential-artikey` answers for the helper.
 */
class FakeDaemon {
  readonly #server: Server;
  readonly #ready: Promise<number>;
  readonly seen: string[] = [];

  constructor() {
    this.#server = createServer((request, response) => {
      request.resume();
      request.on('end', () => {
        if (request.url?.endsWith('/_ping')) {
          response.writeHead(200, { 'API-Version': '1.45', 'Content-Type': 'text/plain' });
          response.end('OK');
          return;
        }
        const header = request.headers['x-registry-auth'];
        this.seen.push(typeof header === 'string' ? header : '');
        response.writeHead(500, { 'Content-Type': 'application/json' });
        response.end('{"message":"fake daemon"}');
      });
    });
    this.#ready = new Promise((resolve) =>
      this.#server.listen(0, '127.0.0.1', () =>
        resolve((this.#server.address() as AddressInfo).port),
      ),
    );
  }

  port(): Promise<number> {
    return this.#ready;
  }

  close(): Promise<void> {
    return new Promise((resolve) => this.#server.close(() => resolve()));
  }
}

let daemon: FakeDaemon | null = null;
const helperBin = join(scratch, 'bin');
mkdirSync(helperBin);
writeFileSync(
  join(helperBin, 'docker-credential-artikey'),
  '#!/bin/sh\nread host\nprintf \'{"ServerURL":"%s","Username":"helper-user","Secret":"helper-secret"}\' "$host"\n',
);
chmodSync(join(helperBin, 'docker-credential-artikey'), 0o755);

function dockerPull(configDir: string, host: string, port: number): Promise<number> {
  return new Promise((resolve, reject) => {
    const child = spawn('docker', ['--config', configDir, 'pull', `${host}/fuzz/image:1`], {
      env: {
        ...process.env,
        DOCKER_HOST: `tcp://127.0.0.1:${port}`,
        PATH: `${helperBin}:${process.env['PATH'] ?? ''}`,
      },
      stdio: 'ignore',
    });
    const timer = setTimeout(() => child.kill('SIGKILL'), 20_000);
    child.on('error', reject);
    child.on('exit', (code) => {
      clearTimeout(timer);
      resolve(code ?? -1);
    });
  });
}

const realDocker: FuzzProperty = {
  name: 'the real docker binary sends the credentials Artikey meant for the host (fake daemon on loopback)',
  cases: 10,
  benchCases: 300,
  property: () =>
    fc.asyncProperty(
      fc
        .constantFrom<Kind>('docker-helper', 'docker-auths')
        .chain((kind) =>
          spec(kind).chain((s) =>
            fc.tuple(
              fc.constant(kind),
              fc.constant(s),
              dockerFile({ ...cycleOptions(kind, s.hosts), goSpellings: false }),
            ),
          ),
        ),
      token(),
      async ([kind, s, file], t) => {
        let configured: string;
        try {
          configured = renderWrite(s, file.text, credentials(t)).text;
        } catch (error) {
          if (kind === 'docker-auths' && isRefusal(error, 'tool-file-conflict')) return;
          throw error;
        }
        daemon ??= new FakeDaemon();
        const port = await daemon.port();
        const dir = join(scratch, `docker-${files++}`);
        mkdirSync(dir);
        writeFileSync(join(dir, 'config.json'), configured);
        const host = s.hosts[0]!;
        const seenBefore = daemon.seen.length;
        await dockerPull(dir, host, port);
        const header = daemon.seen[seenBefore];
        if (header === undefined) throw new Error('docker sent no pull to the fake daemon');
        const sent = JSON.parse(Buffer.from(header, 'base64url').toString()) as {
          username?: string;
          password?: string;
        };
        const expected =
          kind === 'docker-auths'
            ? { username: USERNAME, password: t }
            : { username: 'helper-user', password: 'helper-secret' };
        if (sent.username !== expected.username || sent.password !== expected.password)
          throw new Error(`docker sent ${JSON.stringify({ ...sent, password: '…' })} for ${host}`);
      },
    ),
};

export const suite: FuzzSuite = {
  editor: 'docker-config.ts + json-members.ts (docker-helper, docker-auths, podman)',
  properties: [
    ...KINDS.map(roundTrip),
    ...KINDS.map(tokenPlacement),
    ...KINDS.map(toolReading),
    refused,
    disk,
    migrate('docker-helper'),
    migrate('podman'),
    realDocker,
  ],
  close: async () => {
    await pool.close();
    await daemon?.close();
    daemon = null;
  },
};
