/**
 * netrc.ts under fuzzing, for the netrc kind (which Go and uv also write, as their companion
 * entry): files read by Python's `netrc` module (test/fuzz/oracles/ini_oracle.py, one long-lived
 * process), which pip's requests and many scripts use.
 *
 * Documented exceptions:
 * - migrate (and a configure over an entry the person had for the host): unconfigure takes out
 *   the machine's whole entry, the adopted login and password with it (Artikey never keeps a
 *   secret; netrc has no other setting of the entry to give back).
 * - host names are matched case-insensitively, as curl and Go do; Python's module alone tells
 *   `ART.EXAMPLE.COM` from `art.example.com`, so the generator writes no upper-cased look-alike.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { expect } from 'vitest';
import { planMigration } from '../../electron/core/migrate.js';
import { findInText } from '../../electron/core/scan/scan.js';
import type { TargetSpec } from '../../electron/core/targets/target-record.js';
import { definitionOf } from '../../electron/core/targets/target-kinds.js';
import { readNetrc } from '../../electron/core/targets/netrc.js';
import { renderWrite } from '../../electron/core/targets/targets.js';
import { ToolFileError } from '../../electron/core/targets/tool-file.js';
import type { FuzzProperty, FuzzSuite } from './support/fuzz-run.js';
import { instance, type Instance } from './support/ini-arbitraries.js';
import { assemble, line, lined, sameText, without, type Line } from './support/ini-lines.js';
import { OraclePool, OracleProcess } from './support/oracle-process.js';
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
import { lookalikeHost, matching, occurrences, token } from './support/text-arbitraries.js';

const ORACLE = join(import.meta.dirname, 'oracles', 'ini_oracle.py');
const pool = new OraclePool();
const python = (): OracleProcess =>
  pool.get('netrc', () => new OracleProcess('ini_oracle.py', 'python3', [ORACLE]));

type NetrcAnswer =
  | { ok: true; hosts: Record<string, [string, string, string]>; macros: string[] }
  | { ok: false; error: string };
const pythonNetrc = (text: string): Promise<NetrcAnswer> =>
  python().ask<NetrcAnswer>({ op: 'netrc', text });

const scratch = mkdtempSync(join(tmpdir(), 'artikey-fuzz-netrc-'));
const ENVIRONMENT = { platform: 'linux' as const, env: {}, home: scratch };

const specOf = (
  i: Instance,
  path = join(scratch, 'netrc'),
): Extract<TargetSpec, { kind: 'netrc' }> =>
  definitionOf('netrc').fromRequest({
    options: {},
    platformUrl: i.platformUrl,
    instanceName: 'Acme Art',
    artifactoryUrl: `${i.platformUrl}artifactory/`,
    path,
    repo: () => 'generic',
    environment: ENVIRONMENT,
  }) as Extract<TargetSpec, { kind: 'netrc' }>;

// ---------------------------------------------------------------------------------------------
// The generator

const KEYWORDS = new Set(['machine', 'default', 'login', 'password', 'account', 'macdef']);
/**
 * A login, password or account: one token as Python's lexer reads it, now and then in double
 * quotes (spaces, `\"` and `#` inside) or with a backslash escape.
 */
const value = fc
  .oneof(
    { weight: 6, arbitrary: matching(/^[A-Za-z0-9._@%+=:,!$&*/-]{1,24}$/) },
    {
      weight: 2,
      arbitrary: fc.constantFrom('é', '中文', '😀x', 'p@ss:w0rd', '%(home)s', '${HOME}'),
    },
    {
      weight: 1,
      arbitrary: fc.constantFrom(
        '"two words"',
        '"say \\"hi\\""',
        'back\\ slash',
        '"#no comment"',
        '"tab\there"',
        'a\\"b',
      ),
    },
  )
  .filter((v) => !KEYWORDS.has(v) && !v.startsWith('#'));
/** A value of another entry, or one whose quotes hold `machine <the instance's host>`. */
const valueBeside = (i: Instance): fc.Arbitrary<string> =>
  fc.oneof(
    { weight: 9, arbitrary: value },
    { weight: 1, arbitrary: fc.constant(`"x machine ${i.host} y"`) },
  );
const space = fc.constantFrom(' ', '  ', '\t');
const indent = fc.constantFrom('', '  ', '\t', '    ');

/** Another host, never the instance's (upper-cased ones aside: see the header). */
const otherHost = (i: Instance): fc.Arbitrary<string> =>
  fc.oneof(
    lookalikeHost(i.host, i.port).filter(
      (h) => h.toLowerCase() !== i.host && h !== h.toUpperCase(),
    ),
    fc.constantFrom('github.com', 'registry.npmjs.org', 'example.org'),
  );

/** One entry as lines: on one line, or a field a line, fields in any order, an account sometimes. */
const entry = (
  head: string,
  tag: string,
  fields: fc.Arbitrary<[string, string][]>,
): fc.Arbitrary<Line[]> =>
  fc
    .tuple(fields, fc.boolean(), space, indent)
    .map(([pairs, oneLine, sp, ind]) =>
      oneLine
        ? [line([head, ...pairs.map(([k, v]) => `${k}${sp}${v}`)].join(sp), tag)]
        : [line(head, tag), ...pairs.map(([k, v]) => line(`${ind}${k}${sp}${v}`, tag))],
    );

const fieldsOf = (
  login: fc.Arbitrary<string>,
  password: fc.Arbitrary<string>,
): fc.Arbitrary<[string, string][]> =>
  fc
    .tuple(login, password, fc.option(value, { nil: undefined }), fc.boolean())
    .map(([l, p, account, swap]) => {
      const pairs: [string, string][] = swap
        ? [
            ['password', p],
            ['login', l],
          ]
        : [
            ['login', l],
            ['password', p],
          ];
      if (account !== undefined) pairs.push(['account', account]);
      return pairs;
    });

const comment = fc
  .tuple(indent, matching(/^[ -~]{0,30}$/))
  .map(([ind, text]) => [line(`${ind}# ${text}`)]);
const blank = fc.constantFrom('', ' ', '\t').map((t) => [line(t)]);
/** A macro: its body runs to the first empty line, which Python wants truly empty. */
const macdef = fc
  .tuple(matching(/^[a-z]{1,8}$/), fc.array(matching(/^[ -~]{1,30}$/), { maxLength: 3 }))
  .map(([name, body]) => [line(`macdef ${name}`), ...body.map((b) => line(b)), line('')]);

export interface NetrcParts {
  instance: Instance;
  file: { lines: Line[]; eols: string[] };
}

/** A .netrc: other hosts' entries, comments, blanks, macros, a default last; `adopted`: the instance's own entry. */
export const netrcFile = (
  adopted?: (i: Instance) => fc.Arbitrary<Line[]>,
): fc.Arbitrary<NetrcParts> =>
  instance().chain((i) =>
    fc
      .tuple(
        fc.array(
          fc.oneof(
            {
              weight: 4,
              arbitrary: otherHost(i).chain((h) =>
                entry(`machine ${h}`, 'other', fieldsOf(value, valueBeside(i))),
              ),
            },
            { weight: 2, arbitrary: comment },
            { weight: 2, arbitrary: blank },
            { weight: 1, arbitrary: macdef },
          ),
          { maxLength: 8 },
        ),
        adopted?.(i) ?? fc.constant<Line[]>([]),
        fc.nat(),
        fc.option(entry('default', 'other', fieldsOf(value, value)), { nil: undefined }),
      )
      .chain(([groups, own, at, fallback]) => {
        const all = [...groups];
        all.splice(at % (all.length + 1), 0, own);
        return lined(fc.constant([...all.flat(), ...(fallback ?? [])]));
      })
      .map((file) => ({ instance: i, file })),
  );

/**
 * The instance's entry with its plain-text password; now and then copies the tools read
 * differently (tagged `twice`): the password named twice, or a second entry for the machine (in
 * another case), which Artikey refuses as a conflict.
 */
export const netrcAdoptable =
  (secret: string) =>
  (i: Instance): fc.Arbitrary<Line[]> => {
    const own = (tag: string, host = i.host): fc.Arbitrary<Line[]> =>
      entry(
        `machine ${host}`,
        tag,
        fieldsOf(fc.constant('old.user'), fc.constantFrom(secret, `"${secret}"`)),
      );
    return fc.oneof(
      { weight: 8, arbitrary: own('adopted') },
      {
        weight: 1,
        arbitrary: entry(
          `machine ${i.host}`,
          'twice',
          fieldsOf(fc.constant('old.user'), fc.constant(secret)).map((pairs) => [
            ...pairs,
            ['password', secret] as [string, string],
          ]),
        ),
      },
      {
        weight: 1,
        arbitrary: fc
          .tuple(own('twice'), own('twice', i.host.toUpperCase()))
          .map(([a, b]) => [...a, ...b]),
      },
    );
  };

// ---------------------------------------------------------------------------------------------
// Properties

/** A macro with no empty line after it (the generator's last line has no newline): Python refuses the file too. */
const refusedMacro = (error: unknown): boolean =>
  error instanceof ToolFileError &&
  error.code === 'tool-file-invalid' &&
  /macro/.test(error.message);

const netrcCase = fc.record({ parts: netrcFile(), first: token(), second: token() });

const roundTrip: FuzzProperty = {
  name: 'netrc: configure, refresh, unconfigure gives back the exact bytes',
  cases: 300,
  property: () =>
    fc.property(netrcCase, ({ parts, first, second }) => {
      const original = assemble(parts.file);
      try {
        sameText(cycle(specOf(parts.instance), original, first, second).removed, original);
      } catch (error) {
        if (!refusedMacro(error)) throw error;
      }
    }),
};

const oracle: FuzzProperty = {
  name: "netrc: Python's netrc reads the machine with Artikey's login and token, every other entry and macro as before, the token nowhere else",
  cases: 100,
  property: () =>
    fc.asyncProperty(netrcCase, async ({ parts, first, second }) => {
      const original = assemble(parts.file);
      const before = await pythonNetrc(original);
      if (!before.ok) return; // Python refuses the person's file itself
      const spec = specOf(parts.instance);
      const run = cycle(spec, original, first, second);
      // Documented exception (as in the migrate property): Python's netrc stops reading at an
      // empty quoted token where it expects a keyword (a `# ""` after a blank line is no comment
      // to it), so of a file it read only in part it may not read Artikey's entry either; curl,
      // Go and uv read on. Such a file has more entries than Python read.
      const entries = new Set(readNetrc(original).map((e) => e.machine ?? 'default'));
      const readInPart = entries.size > Object.keys(before.hosts).length;
      for (const [text, tok] of [
        [run.configured, first],
        [run.refreshed, second],
      ] as const) {
        const after = await pythonNetrc(text);
        expect(after).toMatchObject({ ok: true });
        if (!after.ok) return;
        if (!readInPart) expect(after.hosts[spec.machine]).toEqual([USERNAME, '', tok]);
        else
          expect(readNetrc(text).find((e) => e.machine === spec.machine)).toMatchObject({
            login: USERNAME,
            password: tok,
          });
        const others = { ...after.hosts };
        delete others[spec.machine];
        expect(others).toEqual(before.hosts);
        expect(after.macros).toEqual(before.macros);
        expect(occurrences(text, tok)).toBe(1);
        expect(
          Object.entries(after.hosts)
            .filter(([, fields]) => fields.includes(tok))
            .map(([h]) => h),
        ).toEqual(readInPart && after.hosts[spec.machine] === undefined ? [] : [spec.machine]);
      }
      expect(occurrences(run.removed ?? '', second)).toBe(0);
    }),
};

const migrate: FuzzProperty = {
  name: "netrc: migrate puts Artikey's login and token in the machine's entry, the old password nowhere, others as before; unconfigure leaves the original minus that entry",
  cases: 100,
  property: () =>
    fc.asyncProperty(
      token().chain((old) =>
        fc.record({ old: fc.constant(old), parts: netrcFile(netrcAdoptable(old)), fresh: token() }),
      ),
      async ({ old, parts, fresh }) => {
        const i = parts.instance;
        const original = assemble(parts.file);
        const path = join(scratch, 'netrc');
        if (parts.file.lines.some((l) => l.tag === 'twice')) {
          // Copies the tools read differently: the write is refused, whatever migrate found.
          let refusal: unknown = null;
          try {
            renderWrite(specOf(i, path), original, credentials(fresh));
          } catch (error) {
            refusal = error;
          }
          if (refusedMacro(refusal)) return;
          expect(refusal).toMatchObject({ code: 'tool-file-conflict' });
          expect(String((refusal as Error).message)).toMatch(
            /line \d+, column \d+; line \d+, column \d+/,
          );
          return;
        }
        let written;
        let target;
        try {
          const found = findInText('netrc', path, original, [
            { id: 'acme', platformUrl: i.platformUrl, registryHost: '' },
          ]);
          const steps = planMigration(
            found,
            { id: 'acme', platformUrl: i.platformUrl, username: USERNAME },
            [],
            ENVIRONMENT,
          );
          const replaced = steps.flatMap((s) => (s.action === 'replace' ? [s] : []));
          expect(replaced.length).toBe(1);
          target = replaced[0]!.target;
          written = renderWrite(target, original, credentials(fresh));
        } catch (error) {
          // A macro the file never ends: the scan and the writer refuse it, as Python's netrc does.
          if (!refusedMacro(error)) throw error;
          expect(await pythonNetrc(original)).toMatchObject({ ok: false });
          return;
        }
        const { text, restore } = written;
        expect(occurrences(text, old)).toBe(0);
        expect(occurrences(text, fresh)).toBe(1);
        const before = await pythonNetrc(original);
        if (before.ok) {
          const after = await pythonNetrc(text);
          expect(after).toMatchObject({ ok: true });
          if (after.ok) {
            const own = after.hosts[i.host];
            // Python's netrc stops early on some text before the machine (a `# ""` after a blank
            // line is no comment to it, and its empty quoted token ends the file): a machine
            // Python never read is replaced in place, where Go, curl and uv read it and Python
            // still does not.
            if (before.hosts[i.host] !== undefined)
              expect([own?.[0], own?.[2]]).toEqual([USERNAME, fresh]);
            const others = { ...after.hosts };
            delete others[i.host];
            const othersBefore = { ...before.hosts };
            delete othersBefore[i.host];
            expect(others).toEqual(othersBefore);
          }
        }
        sameText(
          removal(recordOf(target, original, restore), text),
          assemble(without(parts.file, (l) => l.tag === 'adopted')),
        );
      },
    ),
};

/** A file that ends inside an entry: a keyword with nothing after it. */
const refused: FuzzProperty = {
  name: 'netrc: a file Artikey refuses keeps its bytes and mtime, and the refusal names the line and column',
  cases: 25,
  benchCases: 2_000,
  property: () =>
    fc.asyncProperty(
      netrcFile(),
      fc.constantFrom('machine', 'login', 'password', 'account'),
      fc.boolean(),
      token(),
      async (parts, keyword, bom, tok) => {
        const text = `${assemble(parts.file)}${parts.file.eols.at(-1) === '' && parts.file.lines.length > 0 ? '\n' : ''}machine dangling.example.org ${keyword === 'machine' ? 'login x\nmachine' : keyword}`;
        const spec = specOf(parts.instance, join(scratch, 'refused.netrc'));
        const message = await expectRefusedUntouched(spec, fileBytes(text, bom), tok);
        if (!text.includes('\r')) {
          const lastLine = text.split('\n').length;
          const column = text.length - text.lastIndexOf('\n') - keyword.length;
          expect(message).toContain(`line ${lastLine}, column ${column}`);
        }
      },
    ),
};

const disk: FuzzProperty = {
  name: 'netrc on disk: configure then unconfigure gives back the exact bytes (byte-order mark included), or deletes the file Artikey created',
  cases: 20,
  benchCases: 2_000,
  property: () =>
    fc.asyncProperty(
      netrcFile(),
      fc.boolean(),
      fc.boolean(),
      token(),
      async (parts, bom, absent, tok) => {
        const path = join(scratch, 'disk.netrc');
        rmSync(path, { force: true });
        const bytes = absent ? null : fileBytes(assemble(parts.file), bom);
        let left;
        try {
          left = await diskCycle(specOf(parts.instance, path), bytes, tok);
        } catch (error) {
          if (refusedMacro(error)) return;
          throw error;
        }
        if (bytes === null) expect(left).toBeNull();
        else sameText(left?.toString() ?? null, bytes.toString());
      },
    ),
};

export const suite: FuzzSuite = {
  editor: "netrc.ts (netrc; Go's and uv's companion entry)",
  properties: [roundTrip, oracle, migrate, refused, disk],
  close: async () => {
    await pool.close();
    rmSync(scratch, { recursive: true, force: true });
  },
};
