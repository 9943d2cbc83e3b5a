/**
 * hcl-file.ts and terraform-credentials.ts, the editor of Terraform's CLI configuration (kind
 * terraform), against Terraform's own reading: HCL v1's hcl.Parse and hcl.DecodeObject into
 * cliconfig.Config (test/fuzz/oracles/hcl_oracle.go), with hosts compared as Terraform's svchost
 * does (case-insensitive, the default port 443 dropped); and, bounded, the terraform binary itself
 * (`terraform logout` says offline whether the CLI configuration holds credentials for a host).
 */
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { planMigration } from '../../electron/core/migrate.js';
import { readerOf } from '../../electron/core/scan/readers.js';
import type { TerraformSpec } from '../../electron/core/targets/kinds/terraform-spec.js';
import { definitionOf } from '../../electron/core/targets/target-kinds.js';
import { removeTarget, renderWrite, writeTarget } from '../../electron/core/targets/targets.js';
import { ToolFileError } from '../../electron/core/targets/tool-file.js';
import type { FuzzSuite } from './support/fuzz-run.js';
import { brokenHcl, hclFile, type HclFile } from './support/hcl-arbitraries.js';
import { goProgram, OracleProcess, OraclePool } from './support/oracle-process.js';
import {
  credentials,
  cycle,
  expectRefusedUntouched,
  recordOf,
  removal,
  type Cycle,
} from './support/target-cycle.js';
import { occurrences, token } from './support/text-arbitraries.js';

const oracles = new OraclePool();
const ORACLE = join(import.meta.dirname, 'oracles', 'hcl_oracle.go');

interface TerraformReading {
  config?: { Credentials: Record<string, Record<string, unknown>> | null } & Record<
    string,
    unknown
  >;
  items?: { keys: string[]; value: unknown }[];
  error?: string;
}

const terraformReads = (text: string): Promise<TerraformReading> =>
  oracles
    .get('hcl', () => new OracleProcess('HCL v1 (Terraform CLI config)', goProgram(ORACLE), []))
    .ask<TerraformReading>({ text });

/** svchost.ForComparison, as far as these hosts need it: case folded, the default port dropped. */
const forComparison = (host: string): string => host.toLowerCase().replace(/:443$/, '');

/** Two different tokens: a configure and the refresh after it. */
const tokens = (): fc.Arbitrary<[string, string]> =>
  fc.uniqueArray(token(), { minLength: 2, maxLength: 2 }).map(([a, b]) => [a!, b!]);

const dir = mkdtempSync(join(tmpdir(), 'artikey-fuzz-hcl-'));
const INSTANCES = [
  'https://art.example.com/',
  'http://127.0.0.1:8081/',
  'https://art.example.com:8443/jfrog/',
];

const specFor = (platformUrl: string, path = join(dir, '.terraformrc')): TerraformSpec =>
  definitionOf('terraform').fromRequest({
    options: {},
    platformUrl,
    instanceName: null,
    artifactoryUrl: `${platformUrl}artifactory/`,
    path,
    repo: () => {
      throw new Error('no repository for this kind');
    },
    environment: { platform: 'linux', env: {}, home: dir },
  }) as TerraformSpec;

/** A plain-text token the person had: the `!` keeps it from being part of any generated token. */
const OLD = 'old!person-token';

interface Scenario {
  spec: TerraformSpec;
  file: HclFile;
}

const scenario = (): fc.Arbitrary<Scenario> =>
  fc.constantFrom(...INSTANCES).chain((platformUrl) => {
    const spec = specFor(platformUrl);
    const url = new URL(platformUrl);
    const port = url.port === '' ? null : Number(url.port);
    return hclFile({ host: url.hostname, port, old: OLD }).map((file) => ({ spec, file }));
  });

/** Configure → refresh → unconfigure; null when Artikey refused a file it cannot safely change. */
function run(s: Scenario, first: string, second: string): Cycle | null {
  try {
    const result = cycle(s.spec, s.file.text, first, second);
    if (s.file.own === 'conflict')
      throw new Error('expected a tool-file-conflict refusal, got a write');
    return result;
  } catch (error) {
    if (!(error instanceof ToolFileError)) throw error;
    if (error.code === 'tool-file-conflict' && s.file.own === 'conflict') return null;
    if (error.code === 'tool-file-invalid') {
      if (!/line \d+, column \d+/.test(error.message))
        throw new Error(`a refusal without line and column: ${error.message}`);
      return null;
    }
    throw error;
  }
}

/**
 * What unconfigure leaves: the original exactly, except the person's own token for the host,
 * which is never kept to put back: its line goes (the whole block, when it was one line).
 */
function expectedAfterRemoval(file: HclFile): string {
  const index = file.items.findIndex((item) => item.tokenLine !== undefined);
  if (file.own === 'one-line') {
    const at = file.items.findIndex((item) => item.lines[0]!.includes(`"${OLD}"`));
    return withoutLines(file, at, 0, file.items[at]!.lines.length);
  }
  if (file.own !== 'token' || index < 0) return file.text;
  const tokenLine = file.items[index]!.tokenLine!;
  return withoutLines(file, index, tokenLine, tokenLine + 1);
}

function withoutLines(file: HclFile, item: number, from: number, to: number): string {
  const lines = file.chunks[item]!.split(/(?<=\n)/);
  const kept = [...lines.slice(0, from), ...lines.slice(to)].join('');
  const text = [...file.chunks.slice(0, item), kept, ...file.chunks.slice(item + 1)].join('');
  const wasLastLine = item === file.chunks.length - 1 && to === lines.length;
  // The break before goes too, as the file had no final one: unless it closes a heredoc, which
  // HCL v1 reads only with its line break.
  const afterHeredoc = from === 0 && closesHeredoc(file.items[item - 1]);
  return wasLastLine && !/\n$/.test(lines.at(-1)!) && !afterHeredoc
    ? text.replace(/\r?\n$/, '')
    : text;
}

/** Whether the item is a setting whose heredoc value ends it (the generator's only heredocs). */
const closesHeredoc = (item: HclFile['items'][number] | undefined): boolean => {
  const marker = /<<-?([\p{L}_\p{Nd}]+)$/u.exec(item?.lines[0] ?? '')?.[1];
  return marker !== undefined && item!.lines.at(-1)!.trim() === marker;
};

/** The file's credentials by host as Terraform compares them; several labels for one host fail. */
function credentialsByHost(reading: TerraformReading): Map<string, Record<string, unknown>> {
  const byHost = new Map<string, Record<string, unknown>>();
  for (const [label, block] of Object.entries(reading.config?.Credentials ?? {})) {
    const host = forComparison(label);
    if (byHost.has(host))
      throw new Error(
        `two credentials blocks Terraform takes for ${host}: which one wins is map order`,
      );
    byHost.set(host, block);
  }
  return byHost;
}

/** What Terraform reads besides the instance's credentials, to compare before and after. */
/** An item key as HCL v1 reads it: a quoted one without its quotes. */
const unquote = (key: string | undefined): string =>
  key === undefined ? '' : key.startsWith('"') ? (JSON.parse(key) as string) : key;

function everythingElse(reading: TerraformReading, host: string): string {
  const { Credentials, ...rest } = reading.config ?? { Credentials: null };
  const others = Object.entries(Credentials ?? {}).filter(
    ([label]) => forComparison(label) !== host,
  );
  const items = (reading.items ?? []).filter(
    (item) =>
      !(unquote(item.keys[0]) === 'credentials' && forComparison(unquote(item.keys[1])) === host),
  );
  return JSON.stringify({ rest, others: others.sort(), items });
}

async function readable(text: string): Promise<TerraformReading> {
  const reading = await terraformReads(text);
  if (reading.error !== undefined)
    throw new Error(`Terraform cannot read the file: ${reading.error}\n${JSON.stringify(text)}`);
  return reading;
}

/** Terraform reads `token` for the instance and everything else as in `before`. */
async function expectTerraformReads(
  text: string,
  before: TerraformReading,
  host: string,
  expected: string | null,
) {
  const after = await readable(text);
  const own = credentialsByHost(after).get(host);
  const ownBefore = credentialsByHost(before).get(host);
  if (expected === null) {
    if (own?.['token'] !== undefined) throw new Error(`a token is left for ${host}`);
  } else {
    if (own?.['token'] !== expected)
      throw new Error(`Terraform reads the token for ${host} as ${JSON.stringify(own?.['token'])}`);
    const { token: _t, ...otherSettings } = own;
    const { token: _b, ...settingsBefore } = ownBefore ?? {};
    void _t;
    void _b;
    if (JSON.stringify(otherSettings) !== JSON.stringify(settingsBefore))
      throw new Error(`the block's other settings changed: ${JSON.stringify(otherSettings)}`);
  }
  if (everythingElse(after, host) !== everythingElse(before, host))
    throw new Error(
      `Terraform reads other settings differently:\n${everythingElse(after, host)}\n${everythingElse(before, host)}`,
    );
}

/** `terraform logout <host>` with only this file as CLI configuration, in an empty home. */
function terraformLogout(text: string, host: string): string {
  const home = mkdtempSync(join(dir, 'home-'));
  mkdirSync(join(home, '.terraform.d'));
  writeFileSync(join(home, 'rc'), text);
  const run = spawnSync('terraform', ['logout', '-no-color', host], {
    encoding: 'utf8',
    timeout: 30_000,
    env: {
      PATH: process.env['PATH'],
      HOME: home,
      TF_CLI_CONFIG_FILE: join(home, 'rc'),
      CHECKPOINT_DISABLE: '1',
    },
  });
  if (run.error)
    throw new Error(`terraform did not run (/usr/local/bin/terraform): ${run.error.message}`);
  return `${run.stdout}${run.stderr}`.replaceAll(home, '~').replace(/\s+/g, ' ');
}

export const suite: FuzzSuite = {
  editor: 'hcl-file.ts + terraform-credentials.ts (terraform)',
  close: () => oracles.close(),
  properties: [
    {
      name: "configure, refresh and unconfigure give back the file (the person's own token excepted); a refusal names line and column",
      cases: 150,
      property: () =>
        fc.property(scenario(), tokens(), (s, [first, second]) => {
          const result = run(s, first, second);
          if (result === null) return;
          const expected = expectedAfterRemoval(s.file);
          if ((result.removed ?? '') !== expected)
            throw new Error(
              `unconfigure left\n${JSON.stringify(result.removed)}\ninstead of\n${JSON.stringify(expected)}`,
            );
        }),
    },
    {
      name: "Terraform (HCL v1 into cliconfig.Config) reads Artikey's token for the host after configure and refresh, everything else as before, and no token after unconfigure",
      cases: 60,
      property: () =>
        fc.asyncProperty(scenario(), tokens(), async (s, [first, second]) => {
          const before = await terraformReads(s.file.text);
          if (before.error !== undefined) {
            // Terraform cannot read it either: Artikey may refuse it or edit it, never throw otherwise.
            run(s, first, second);
            return;
          }
          const result = run(s, first, second);
          if (result === null) {
            if (s.file.own !== 'conflict')
              throw new Error('Artikey refused a file Terraform reads');
            return;
          }
          const host = forComparison(s.spec.host);
          await expectTerraformReads(result.configured, before, host, first);
          await expectTerraformReads(result.refreshed, before, host, second);
          await expectTerraformReads(result.removed ?? '', before, host, null);
        }),
    },
    {
      name: "the token is in the host's credentials block alone, once, and gone after unconfigure",
      cases: 60,
      property: () =>
        fc.asyncProperty(scenario(), tokens(), async (s, [first, second]) => {
          const result = run(s, first, second);
          if (result === null) return;
          for (const [text, present, absent] of [
            [result.configured, first, second],
            [result.refreshed, second, first],
          ] as const) {
            if (occurrences(text, present) !== 1 || occurrences(text, absent) !== 0)
              throw new Error(`the token occurs ${occurrences(text, present)} times`);
            const reading = await terraformReads(text);
            if (reading.error !== undefined) continue;
            const holders = JSON.stringify(reading).split(present).length - 1;
            const own = credentialsByHost(reading).get(forComparison(s.spec.host));
            if (own?.['token'] !== present) throw new Error("the token is not in the host's block");
            // Once in the decoded config, once in the item dump of the same block.
            if (holders !== 2)
              throw new Error(`Terraform reads the token in ${holders / 2} places`);
          }
          if (
            occurrences(result.removed ?? '', first) + occurrences(result.removed ?? '', second) !==
            0
          )
            throw new Error('a token is left after unconfigure');
        }),
    },
    {
      name: 'a file neither HCL nor Artikey can read is refused with line and column, bytes and mtime untouched',
      cases: 20,
      benchCases: 2_000,
      property: () =>
        fc.asyncProperty(
          fc.constantFrom(...INSTANCES).chain((platformUrl) => {
            const url = new URL(platformUrl);
            return brokenHcl(
              hclFile({
                host: url.hostname,
                port: url.port === '' ? null : Number(url.port),
                old: OLD,
              }),
            ).map((text) => ({
              text,
              spec: specFor(platformUrl, join(dir, 'refused.terraformrc')),
            }));
          }),
          token(),
          async ({ text, spec }, t) => {
            const reading = await terraformReads(text);
            if (reading.error === undefined)
              throw new Error(`the generator made a file HCL reads: ${JSON.stringify(text)}`);
            await expectRefusedUntouched(spec, Buffer.from(text, 'utf8'), t);
          },
        ),
    },
    {
      name: "migrate: the token the scan finds in the host's block becomes Artikey's, the old one goes, everything else stays; unconfigure then leaves the original minus that token line",
      cases: 60,
      property: () =>
        fc.asyncProperty(scenario(), token(), async (s, t) => {
          if (s.file.own !== 'token') return;
          const before = await terraformReads(s.file.text);
          if (before.error !== undefined) return;
          const platformUrl = INSTANCES.find((u) => new URL(u).host === s.spec.host)!;
          const instance = { id: 'i1', platformUrl, username: null };
          const found = readerOf('terraform').find(
            {
              tool: 'terraform',
              file: s.spec.path,
              instances: [{ id: 'i1', platformUrl, registryHost: s.spec.host }],
            },
            s.file.text,
            null,
          ).found;
          const steps = planMigration(found, instance, [], {
            platform: 'linux',
            env: {},
            home: dir,
          });
          const step = steps.find((st) => st.action === 'replace');
          if (step?.action !== 'replace')
            throw new Error(`migrate planned no replacement: ${JSON.stringify(steps)}`);
          const { text: written, restore } = renderWrite(step.target, s.file.text, credentials(t));
          if (occurrences(written, OLD) !== 0)
            throw new Error('the old token is still in the file');
          const host = forComparison(s.spec.host);
          await expectTerraformReads(written, before, host, t);
          const removed = removal(recordOf(step.target, s.file.text, restore), written) ?? '';
          if (removed !== expectedAfterRemoval(s.file))
            throw new Error(`unconfigure left\n${JSON.stringify(removed)}`);
        }),
    },
    {
      name: "the scan finds the token Terraform reads for the instance's host, in every form HCL v1 reads (blocks, nested, an object), and no other as the instance's",
      cases: 60,
      property: () =>
        fc.asyncProperty(scenario(), async (s) => {
          const reading = await terraformReads(s.file.text);
          if (reading.error !== undefined) return;
          const platformUrl = INSTANCES.find((u) => new URL(u).host === s.spec.host)!;
          const { found, notes } = readerOf('terraform').find(
            {
              tool: 'terraform',
              file: s.spec.path,
              instances: [{ id: 'i1', platformUrl, registryHost: s.spec.host }],
            },
            s.file.text,
            null,
          );
          const ours = found.filter((f) => f.instanceId === 'i1').map((f) => f.secret);
          const read = Object.entries(reading.config?.Credentials ?? {})
            .filter(([label]) => forComparison(label) === forComparison(s.spec.host))
            .map(([, block]) => block['token']);
          // A templated token is no secret (HCL v1 sends `${…}` as it is), so not the scan's.
          const expected = read.filter(
            (t): t is string => typeof t === 'string' && t !== '' && !/[$%]\{/.test(t),
          );
          const missing = expected.filter((t) => !ours.includes(t));
          // Where the host has two entries Terraform keeps the last; the other's plain-text token
          // is on disk all the same, so the scan lists it too. Nothing else is the instance's.
          const extra = ours.filter((t) => !expected.includes(t));
          const secondEntry =
            s.file.own === 'conflict' && extra.every((t) => t === OLD || t === 'x');
          // A form the scan says it does not read may hide the token, never give a wrong one.
          if ((missing.length > 0 && notes.length === 0) || (extra.length > 0 && !secondEntry))
            throw new Error(
              `the scan found ${JSON.stringify(ours)} for ${s.spec.host}; Terraform reads ${JSON.stringify(read)}`,
            );
        }),
    },
    {
      name: "the terraform binary: after configure `terraform logout` finds the host's credentials in the CLI configuration, after unconfigure it says what it said of the original",
      cases: 5,
      benchCases: 200,
      property: () =>
        fc.asyncProperty(scenario(), token(), fc.boolean(), async (s, t, bom) => {
          if (s.file.own === 'conflict') return;
          // Through the disk, as the product writes (a byte-order mark kept as found).
          const path = join(dir, 'disk.terraformrc');
          const spec = { ...s.spec, path };
          const bytes = Buffer.concat([
            bom ? Buffer.from([0xef, 0xbb, 0xbf]) : Buffer.alloc(0),
            Buffer.from(s.file.text),
          ]);
          writeFileSync(path, bytes);
          let restore: Record<string, string>;
          try {
            ({ restore } = await writeTarget(spec, credentials(t)));
          } catch (error) {
            if (error instanceof ToolFileError && error.code === 'tool-file-invalid') return;
            throw error;
          }
          const original = terraformLogout(bytes.toString('utf8'), s.spec.host);
          const configured = terraformLogout(readFileSync(path, 'utf8'), s.spec.host);
          // Documented exception: HCL v1 refuses a byte-order mark ("At 1:1: illegal char"), so
          // Terraform reads no such file; Artikey keeps the mark as found, the file stays unread.
          if (bom) {
            if (!configured.includes('problems with the CLI configuration'))
              throw new Error(`terraform read a file with a BOM: ${configured}`);
          } else if (
            !configured.includes(
              `Credentials for ${s.spec.host.toLowerCase()} are manually configured`,
            ) &&
            !original.includes('problems with the CLI configuration')
          )
            throw new Error(`terraform logout after configure: ${configured}`);
          await removeTarget({ ...spec, createdFile: false, restore, writtenAt: 1, error: null });
          const removed = readFileSync(path);
          const expected = Buffer.concat([
            bom ? Buffer.from([0xef, 0xbb, 0xbf]) : Buffer.alloc(0),
            Buffer.from(expectedAfterRemoval(s.file)),
          ]);
          if (!removed.equals(expected))
            throw new Error(`unconfigure left ${JSON.stringify(removed.toString())}`);
          if (
            s.file.oldToken === null &&
            terraformLogout(removed.toString('utf8'), s.spec.host) !== original
          )
            throw new Error('terraform logout says something else after unconfigure');
        }),
    },
  ],
};
