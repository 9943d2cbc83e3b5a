/**
 * jfrog-cli-config.ts (kind jfrog-cli, `jfrog-cli.conf.v6`) against the JFrog CLI's own reading:
 * jfrog-cli-core decodes the file with Go's encoding/json into ConfigV6/ServerDetails
 * (test/fuzz/oracles/json_oracle.go), so a key is matched case-insensitively and a duplicate
 * `servers` list is decoded into the first one's servers.
 */
import { mkdirSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import fc from 'fast-check';
import { planMigration } from '../../electron/core/migrate.js';
import { findInJfrogCliConfig } from '../../electron/core/scan/jfrog-cli.js';
import { definitionOf } from '../../electron/core/targets/target-kinds.js';
import type { TargetSpec } from '../../electron/core/targets/target-record.js';
import { renderWrite } from '../../electron/core/targets/targets.js';
import { ToolFileError } from '../../electron/core/targets/tool-file.js';
import type { FuzzProperty, FuzzSuite } from './support/fuzz-run.js';
import {
  anyValue,
  edgeSpace,
  foldedVariant,
  junkKey,
  layout,
  member,
  numberText,
  object,
  array,
  raw,
  render,
  spelling,
  stringText,
  type JsonNode,
} from './support/json-arbitraries.js';
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

const INSTANCES = [
  'https://art.example.com/',
  'http://127.0.0.1:8081/',
  'https://art.example.com:8443/prefix/',
];

const scratch = mkdtempSync(join(tmpdir(), 'artikey-fuzz-jfrog-'));
let files = 0;
const freshPath = (): string => {
  const dir = join(scratch, String(files++));
  mkdirSync(dir);
  return join(dir, 'jfrog-cli.conf.v6');
};

type JfrogSpec = TargetSpec & { serverId: string; url: string; makeDefault: boolean };

/** `artikey configure jfrog` with or without `--server-id` and `--default`. */
const spec = (): fc.Arbitrary<JfrogSpec> =>
  fc
    .tuple(
      fc.constantFrom(...INSTANCES),
      fc.option(fc.constantFrom('corp', 'art', 'my-server_1.x'), { nil: undefined }),
      fc.boolean(),
    )
    .map(
      ([url, serverId, makeDefault]) =>
        definitionOf('jfrog-cli').fromRequest({
          options: { serverId, makeDefault },
          platformUrl: url,
          instanceName: 'fuzz',
          artifactoryUrl: `${url}artifactory/`,
          path: freshPath(),
          repo: () => 'generic-local',
          environment: { platform: 'linux', env: {}, home: '/nonexistent' },
        }) as JfrogSpec,
    );

/** A secret of the person's, unique in the run, so a search for it finds only its own place. */
let plantedCount = 0;
const planted = (): fc.Arbitrary<string> =>
  fc.constant(null).map(() => `planted-${(plantedCount++).toString(36)}-secret`);

interface JfrogFile {
  text: string;
  secrets: string[];
  /** Refused on purpose: a key jf folds to a field, or two `servers` lists. */
  refused: boolean;
}

const STRING_FIELDS = [
  'url',
  'artifactoryUrl',
  'distributionUrl',
  'xrayUrl',
  'user',
  'sshKeyPath',
  'clientCertPath',
];
const SECRET_FIELDS = ['password', 'accessToken', 'refreshToken', 'apiKey', 'sshPassphrase'];

/** A server as `jf config add` leaves it, or edited by hand: ServerDetails' types, unknown fields too. */
const server = (ids: fc.Arbitrary<string>, withSecrets: boolean) =>
  fc
    .record({
      id: fc.option(ids, { freq: 8, nil: undefined }),
      strings: fc.array(fc.tuple(fc.constantFrom(...STRING_FIELDS), stringText()), {
        maxLength: 4,
      }),
      secrets: withSecrets
        ? fc.array(fc.tuple(fc.constantFrom(...SECRET_FIELDS), planted()), { maxLength: 3 })
        : fc.constant<[string, string][]>([]),
      isDefault: fc.option(fc.boolean(), { nil: undefined }),
      interval: fc.option(fc.integer({ min: 0, max: 100_000 }), { nil: undefined }),
      junk: fc.array(fc.tuple(junkKey(), anyValue()), { maxLength: 2 }),
      duplicateId: fc.boolean(),
      order: fc.nat(),
    })
    .map((s) => {
      const members: [string, JsonNode][] = [
        ...s.strings.map(([k, v]) => member(spelling(k), raw(spelling(v)))),
        ...s.secrets.map(([k, v]) => member(spelling(k), raw(spelling(v)))),
        ...(s.isDefault === undefined ? [] : [member('"isDefault"', raw(String(s.isDefault)))]),
        ...(s.interval === undefined
          ? []
          : [member('"tokenRefreshInterval"', raw(String(s.interval)))]),
        ...s.junk,
      ];
      if (s.id !== undefined) {
        // A duplicate id member: both readers take the last.
        if (s.duplicateId) members.push(member('"serverId"', raw('"shadowed-id"')));
        members.splice(
          s.order % (members.length + 1),
          0,
          member(spelling('serverId'), raw(spelling(s.id))),
        );
        if (s.duplicateId) members.push(member('"serverId"', raw(JSON.stringify(s.id))));
      }
      return { node: object(members), secrets: s.secrets.map(([, v]) => v) };
    });

const jfrogFile = (options: { ownId?: string; ownLogin?: boolean; refusals: boolean }) =>
  fc
    .record({
      servers: fc.array(
        server(fc.constantFrom('other', 'Corp', 'corp-2', 'art.example.com', 'x'), true),
        { maxLength: 4 },
      ),
      own: options.ownId
        ? fc.option(
            server(fc.constant(options.ownId), options.ownLogin === true).filter(
              (s) => options.ownLogin !== true || s.secrets.length > 0,
            ),
            { freq: options.ownLogin ? 1 : 3, nil: undefined },
          )
        : fc.constant(undefined),
      ownAt: fc.nat(),
      serversForm: fc.constantFrom('list', 'list', 'list', 'absent', 'null', 'empty'),
      version: fc.constantFrom('"6"', '"\\u0036"', null),
      junk: fc.array(fc.tuple(junkKey(), anyValue()), { maxLength: 3 }),
      numbers: fc.array(numberText(), { maxLength: 2 }),
      refusal: options.refusals
        ? fc.option(
            fc.oneof(
              fc
                .constantFrom('servers', 'version', 'enc')
                .chain(foldedVariant)
                .map((key) => ({ root: member(key, raw('null')) })),
              fc
                .constantFrom('serverId', 'accessToken', 'isDefault', 'user')
                .chain(foldedVariant)
                .map((key) => ({ server: member(key, raw('null')) })),
              fc.constant({ duplicate: member('"servers"', array([])) }),
            ),
            { freq: 5, nil: undefined },
          )
        : fc.constant(undefined),
      layout: layout(),
      lead: edgeSpace(),
      trail: edgeSpace(),
    })
    .map((f): JfrogFile => {
      const servers = f.servers.map((s) => s.node);
      if (f.own) servers.splice(f.ownAt % (servers.length + 1), 0, f.own.node);
      const refusal = f.refusal as
        | { root?: [string, JsonNode]; server?: [string, JsonNode]; duplicate?: [string, JsonNode] }
        | undefined;
      if (refusal?.server) {
        if (servers.length === 0) servers.push(object([]));
        (servers[0] as { members: [string, JsonNode][] }).members.push(refusal.server);
      }
      const list =
        servers.length > 0 || f.serversForm === 'list'
          ? [member('"servers"', array(servers))]
          : f.serversForm === 'null'
            ? [member('"servers"', raw('null'))]
            : f.serversForm === 'empty'
              ? [member('"servers"', array([]))]
              : [];
      const members: [string, JsonNode][] = [
        ...list,
        ...(f.version === null ? [] : [member('"version"', raw(f.version))]),
        ...f.junk,
        ...f.numbers.map((n, i) => member(JSON.stringify(`x-number-${i}`), raw(n))),
        ...(refusal?.root ? [refusal.root] : []),
        ...(refusal?.duplicate && list.length > 0 ? [refusal.duplicate] : []),
      ];
      return {
        text: f.lead + render(object(members), f.layout) + f.trail,
        secrets: [...f.servers, ...(f.own ? [f.own] : [])].flatMap((s) => s.secrets),
        refused: refusal !== undefined && (refusal.duplicate === undefined || list.length > 0),
      };
    });

const LINE_AND_COLUMN = /line \d+, column \d+/;

/**
 * `--default` over a default server without a serverId is refused by design: removal could not
 * make it the default again (jfrog-cli-config.ts `replacedBy`).
 */
function defaultWithoutId(s: JfrogSpec, text: string): boolean {
  if (!s.makeDefault) return false;
  try {
    const servers = (JSON.parse(text) as { servers?: Record<string, unknown>[] | null }).servers;
    const all = servers ?? [];
    const previous = all.find((e) => e['isDefault'] === true);
    return (
      previous !== undefined &&
      previous['serverId'] !== s.serverId &&
      all.some((e) => e['isDefault'] === true && typeof e['serverId'] !== 'string')
    );
  } catch {
    return false;
  }
}

function cycleOrRefusal(s: JfrogSpec, file: JfrogFile, first: string, second: string) {
  const refusable = file.refused || defaultWithoutId(s, file.text);
  try {
    const result = cycle(s, file.text, first, second);
    if (refusable) throw new Error('a file jf reads otherwise than Artikey was not refused');
    return result;
  } catch (error) {
    if (
      refusable &&
      error instanceof ToolFileError &&
      error.code === 'tool-file-invalid' &&
      LINE_AND_COLUMN.test(error.message)
    )
      return null;
    throw error;
  }
}

/** A file whose own-id server is absent (the person's own would be replaced, not put back). */
const specAndFile = spec().chain((s) => fc.tuple(fc.constant(s), jfrogFile({ refusals: true })));

/** Only blank text changes: a whitespace-only file comes back empty (jf reads both as no servers). */
const expectedBack = (text: string): string => (text.trim() === '' ? '' : text);

const roundTrip: FuzzProperty = {
  name: 'configure (each option set), refresh, unconfigure gives back the exact bytes',
  cases: 80,
  property: () =>
    fc.property(specAndFile, token(), token(), ([s, file], first, second) => {
      fc.pre(first !== second);
      const result = cycleOrRefusal(s, file, first, second);
      if (result === null) return;
      if ((result.removed ?? '') !== expectedBack(file.text))
        throw new Error(
          `unconfigure did not give the file back:\n${JSON.stringify(file.text)}\n${JSON.stringify(result.removed)}`,
        );
    }),
};

const tokenPlacement: FuzzProperty = {
  name: "the token lies once, in the server's accessToken, and goes with unconfigure",
  cases: 80,
  property: () =>
    fc.property(specAndFile, token(), token(), ([s, file], first, second) => {
      fc.pre(first !== second);
      const result = cycleOrRefusal(s, file, first, second);
      if (result === null) return;
      const count = (text: string | null, t: string): number => occurrences(text ?? '', t);
      if (count(result.configured, first) !== 1) throw new Error('configured: not one copy');
      if (count(result.refreshed, first) !== 0 || count(result.refreshed, second) !== 1)
        throw new Error('refreshed: the old token stayed or the new one is not there once');
      if (count(result.removed, second) !== 0) throw new Error('removed: the token stayed');
    }),
};

// ---- The JFrog CLI's reading --------------------------------------------------------------

type Server = Record<string, unknown>;
interface JfAnswer {
  error?: string;
  config?: { servers: Server[] | null; version?: string };
  lookup?: Record<string, Server>;
  default?: Server | null;
}

const pool = new OraclePool();
const ask = (text: string, ids: string[]): Promise<JfAnswer> =>
  pool
    .get('json_oracle', () => {
      const binary = goProgram(fileURLToPath(new URL('./oracles/json_oracle.go', import.meta.url)));
      return new OracleProcess('json_oracle', binary, []);
    })
    .ask<JfAnswer>({ tool: 'jfrog', text, hosts: ids });

const canonical = (value: unknown): string =>
  JSON.stringify(value, (_key, v: unknown) =>
    v !== null && typeof v === 'object' && !Array.isArray(v)
      ? Object.fromEntries(Object.entries(v).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)))
      : v,
  );

/** The servers but the first of `id` (the one jf uses for it), defaults left out when asked. */
const others = (answer: JfAnswer, id: string, ignoreDefault: boolean): string => {
  const servers = [...(answer.config?.servers ?? [])];
  const index = servers.findIndex((s) => s['serverId'] === id);
  if (index >= 0) servers.splice(index, 1);
  return canonical(
    servers.map((s) => {
      if (!ignoreDefault) return s;
      const { isDefault: _ignored, ...rest } = s;
      void _ignored;
      return rest;
    }),
  );
};

const toolReading: FuzzProperty = {
  name: "jf reads Artikey's server (token, user, URL, no password or refresh token) and every other server as before (Go encoding/json oracle)",
  cases: 50,
  property: () =>
    fc.asyncProperty(specAndFile, token(), token(), async ([s, file], first, second) => {
      fc.pre(first !== second);
      const before = await ask(file.text, [s.serverId]);
      if (before.error !== undefined && !file.refused)
        throw new Error(`the generator made a file jf refuses: ${before.error}`);
      const result = cycleOrRefusal(s, file, first, second);
      if (result === null) return;
      for (const [text, t] of [
        [result.configured, first],
        [result.refreshed, second],
      ] as const) {
        const after = await ask(text, [s.serverId]);
        if (after.error !== undefined) throw new Error(`jf refuses the result: ${after.error}`);
        const ours = after.lookup?.[s.serverId];
        const ok =
          ours?.['accessToken'] === t &&
          ours['user'] === USERNAME &&
          ours['url'] === s.url &&
          ours['artifactoryUrl'] === `${s.url}artifactory/` &&
          ours['password'] === undefined &&
          ours['refreshToken'] === undefined &&
          ours['tokenRefreshInterval'] === undefined;
        if (!ok) throw new Error(`jf reads ${JSON.stringify({ ...ours, accessToken: '…' })}`);
        const hadDefault = (before.default ?? null) !== null;
        if (s.makeDefault || !hadDefault) {
          if (after.default?.['serverId'] !== s.serverId)
            throw new Error(
              `jf's default is ${String(after.default?.['serverId'])}, not Artikey's`,
            );
        } else if (canonical(after.default) !== canonical(before.default))
          throw new Error("jf's default server changed");
        if (others(after, s.serverId, s.makeDefault) !== others(before, s.serverId, s.makeDefault))
          throw new Error(
            `another server reads differently:\n${others(before, s.serverId, s.makeDefault)}\n${others(after, s.serverId, s.makeDefault)}`,
          );
      }
      const back = await ask(result.removed ?? '', [s.serverId]);
      if (canonical(back.config) !== canonical(before.config))
        throw new Error('after unconfigure jf reads the file differently than before');
    }),
};

// ---- Refused files and the disk ------------------------------------------------------------

const parses = (text: string): boolean => {
  try {
    JSON.parse(text);
    return true;
  } catch {
    return false;
  }
};

/** Text the editor must refuse: broken JSON, another JSON value, a list that is no list of servers, or a file jf reads otherwise. */
const brokenText = (): fc.Arbitrary<string> =>
  fc.oneof(
    fc
      .tuple(
        jfrogFile({ refusals: false }),
        fc.nat(),
        fc.constantFrom(',', '//x', '/* c */', "'", 'NaN', '}', ']', '\u0000', '01', 'tru', '{'),
      )
      .map(([file, at, junk]) => {
        const cut = at % (file.text.length + 1);
        return at % 4 === 0
          ? file.text.slice(0, cut)
          : file.text.slice(0, cut) + junk + file.text.slice(cut);
      })
      .filter((text) => text.trim() !== '' && !parses(text)),
    fc
      .tuple(
        edgeSpace(),
        fc.constantFrom('[]', '"x"', '12', 'null', '{"servers": 5}', '{"servers": [1]}'),
        edgeSpace(),
      )
      .map(([a, value, b]) => a + value + b),
    jfrogFile({ refusals: true })
      .filter((f) => f.refused)
      .map((f) => f.text),
  );

const refused: FuzzProperty = {
  name: 'a file that is not JSON, not a JSON object, or read otherwise by jf is refused naming line and column, bytes and mtime unchanged',
  cases: 30,
  benchCases: 3000,
  property: () =>
    fc.asyncProperty(
      spec(),
      brokenText(),
      fc.boolean(),
      token(),
      async (generated, text, bom, t) => {
        const s = { ...generated, path: freshPath() };
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
      spec(),
      fc.option(jfrogFile({ refusals: false }), { freq: 8, nil: null }),
      fc.boolean(),
      token(),
      async (generated, file, bom, t) => {
        // A path of its own per run: shrinking runs a spec again.
        const s = { ...generated, path: freshPath() };
        const bytes = file === null ? null : fileBytes(file.text, bom);
        let left: Buffer | null;
        try {
          left = await diskCycle(s, bytes, t);
        } catch (error) {
          if (file !== null && defaultWithoutId(s, file.text) && error instanceof ToolFileError)
            return;
          throw error;
        }
        if (bytes === null || file === null) {
          if (left !== null) throw new Error('the file Artikey created was left behind');
          return;
        }
        const back = expectedBack(file.text);
        if (back === '' && left === null) return;
        const expected = fileBytes(back, bom);
        if (left === null || !left.equals(expected)) throw new Error('the bytes did not come back');
      },
    ),
};

// ---- Migrate --------------------------------------------------------------------------------

/**
 * `artikey migrate`: the scan finds a server of the instance with a password or token; adopt
 * makes Artikey's entry of that server id. jf then reads Artikey's token there and no password
 * or refresh token; the old secrets are gone. Unconfigure afterwards takes the server out
 * (documented: its credentials were the person's, which the state file never holds).
 */
const migrate: FuzzProperty = {
  name: "migrate turns the instance's server into Artikey's entry: jf reads the token, the old secrets are gone, other servers as before",
  cases: 50,
  property: () =>
    fc.asyncProperty(
      fc
        .tuple(fc.constantFrom(...INSTANCES), fc.constantFrom('corp', 'art', 'srv-1'))
        .chain(([url, id]) =>
          fc.tuple(
            fc.constant(url),
            fc.constant(id),
            jfrogFile({ ownId: id, ownLogin: true, refusals: false }),
          ),
        ),
      token(),
      async ([url, id, file], t) => {
        const path = freshPath();
        // The instance's server: give the own-id server the instance's URL.
        const text = file.text;
        const found = findInJfrogCliConfig(
          {
            tool: 'jfrog-cli',
            file: path,
            instances: [{ id: 'fuzz', platformUrl: url, registryHost: new URL(url).host }],
          },
          text,
          null,
        ).found.filter((c) => c.location.startsWith(`servers[serverId=${id}]`));
        if (found.length === 0) return; // the own server holds no secret in this case
        const adopted = found.map((c) => ({ ...c, instanceId: 'fuzz' }));
        const steps = planMigration(
          adopted,
          { id: 'fuzz', platformUrl: url, username: USERNAME },
          [],
          { platform: 'linux', env: {}, home: '/nonexistent' },
        );
        let edited = text;
        const records = [];
        for (const step of steps) {
          if (step.action !== 'replace') continue;
          const written = renderWrite(step.target, edited, credentials(t));
          records.push(recordOf(step.target, edited, written.restore));
          edited = written.text;
        }
        if (records.length === 0) throw new Error('migrate planned no replacement');
        const before = await ask(text, [id]);
        const after = await ask(edited, [id]);
        if (after.error !== undefined)
          throw new Error(`jf refuses the migrated file: ${after.error}`);
        const ours = after.lookup?.[id];
        if (
          ours?.['accessToken'] !== t ||
          ours['password'] !== undefined ||
          ours['refreshToken'] !== undefined ||
          ours['apiKey'] !== undefined
        )
          throw new Error(`jf reads ${JSON.stringify({ ...ours, accessToken: '…' })} for ${id}`);
        for (const c of adopted)
          if (occurrences(edited, c.secret) > 0)
            throw new Error(`the adopted secret at ${c.location} is still in the file`);
        if (others(after, id, false) !== others(before, id, false))
          throw new Error('another server reads differently after migrate');
        let back = edited;
        for (const record of records.reverse()) back = removal(record, back) ?? '';
        const unconfigured = await ask(back, [id]);
        if (
          unconfigured.lookup?.[id] !== undefined &&
          before.config?.servers?.filter((s) => s['serverId'] === id).length === 1
        )
          throw new Error('unconfigure after migrate left the server');
        if (others(unconfigured, id, false) !== others(before, id, false))
          throw new Error('unconfigure after migrate changed another server');
      },
    ),
};

export const suite: FuzzSuite = {
  editor: 'jfrog-cli-config.ts + json-members.ts (jfrog-cli)',
  properties: [roundTrip, tokenPlacement, toolReading, refused, disk, migrate],
  close: () => pool.close(),
};
