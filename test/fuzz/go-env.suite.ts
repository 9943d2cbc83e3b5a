/**
 * The Go env file (`go-env-file.ts`, kind go): GOPROXY and, on request, GONOSUMDB and GOPRIVATE.
 *
 * The file's grammar is cmd/go's `initEnvCache`, which accepts every text (a line that is no
 * `KEY=VALUE` starting with A–Z is skipped), so there is no refused file to check: property 2
 * does not apply to this editor. The go kind holds no token (its `.netrc` companion does, fuzzed
 * with netrc), so property 4 checks that neither the token nor the user name ever reaches this file.
 *
 * Oracles: `readsAsGo` below follows cmd/go's reader line for line (Go 1.19
 * `cfg.initEnvCache`, unchanged since) for the hundred thousand cases; the bounded property asks
 * the real `go env -json` with GOENV pointing at the file, byte-order mark included.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import type { GoSpec } from '../../electron/core/targets/kinds/go-spec.js';
import { findInGoEnv } from '../../electron/core/scan/go.js';
import { planMigration } from '../../electron/core/migrate.js';
import { cleanerOf } from '../../electron/core/targets/target-kinds.js';
import { removeTarget, renderWrite, writeTarget } from '../../electron/core/targets/targets.js';
import type { FuzzSuite } from './support/fuzz-run.js';
import { credentials, cycle, recordOf, removal } from './support/target-cycle.js';
import {
  lineBreaks,
  lineText,
  longText,
  lookalikeHost,
  occurrences,
  token,
  word,
} from './support/text-arbitraries.js';

/** cmd/go's reader: lines split at `\n` only, `KEY=VALUE` at the first `=`, A–Z first, the last line of a key wins. */
export function readsAsGo(text: string): Map<string, string> {
  const settings = new Map<string, string>();
  let rest = text;
  while (rest.length > 0) {
    const newline = rest.indexOf('\n');
    const line = newline < 0 ? rest : rest.slice(0, newline);
    rest = newline < 0 ? '' : rest.slice(newline + 1);
    const equals = line.indexOf('=');
    if (equals < 0 || !(line[0]! >= 'A' && line[0]! <= 'Z')) continue;
    settings.set(line.slice(0, equals), line.slice(equals + 1));
  }
  return settings;
}

interface Instance {
  host: string;
  port: number | null;
  prefix: string;
}

const instance = (): fc.Arbitrary<Instance> =>
  fc.record({
    host: fc.constantFrom('art.example.com', 'acme.jfrog.io', 'repo.corp.example'),
    port: fc.constantFrom(null, 8443),
    prefix: fc.constantFrom('artifactory/', 'tools/artifactory/'),
  });

const platformOf = (i: Instance): string =>
  `https://${i.host}${i.port === null ? '' : `:${i.port}`}/`;

/** Go's module path patterns as `--nosumdb`/`--private` take them (no spaces). */
const patterns = (): fc.Arbitrary<string> =>
  fc
    .array(
      fc.constantFrom(
        'github.com/acme/*',
        'corp.example.com',
        '*.internal',
        'gitlab.acme.io/team',
        'é.example/x',
      ),
      { minLength: 1, maxLength: 3 },
    )
    .map((list) => list.join(','));

/** Every option set of the go kind: GONOSUMDB and GOPRIVATE each left alone or written. */
const goSpec = (i: Instance): fc.Arbitrary<GoSpec> =>
  fc
    .record({
      repo: fc.constantFrom('go-virtual', 'go', 'Go.Remote-1'),
      noSumDb: fc.option(patterns(), { nil: null }),
      private: fc.option(patterns(), { nil: null }),
    })
    .map(({ repo, noSumDb, private: priv }) => ({
      kind: 'go',
      path: '/home/fuzz/.config/go/env',
      proxyUrl: `${platformOf(i)}${i.prefix}api/go/${repo}`,
      noSumDb,
      private: priv,
      netrcPath: '/home/fuzz/.netrc',
    }));

/** A GOPROXY list: other proxies (look-alikes of the instance too), `direct`, `off`, `,` or `|`. */
const proxyList = (i: Instance, withUserinfo: boolean): fc.Arbitrary<string> => {
  const url = fc
    .tuple(
      fc.constantFrom('https://', 'http://', 'HTTPS://'),
      withUserinfo
        ? fc.option(
            fc.constantFrom('ada:pw@', 'build%40corp:s3cr%3At@', 'eyJ2ZXIiOiIyIn0.e30.c2ln@'),
            { nil: '' },
          )
        : fc.constant(''),
      fc.oneof(
        lookalikeHost(i.host, i.port),
        fc.constantFrom('proxy.golang.org', 'goproxy.io', 'goproxy.corp.example:8080'),
      ),
      fc.constantFrom('', '/', `/${i.prefix}api/go/go-virtual`, '/api/go/other'),
    )
    .map((parts) => parts.join(''));
  return fc
    .array(
      fc.tuple(
        fc.oneof({ weight: 4, arbitrary: url }, fc.constantFrom('direct', 'off', '')),
        fc.constantFrom(',', '|'),
      ),
      { minLength: 1, maxLength: 3 },
    )
    .map((items) => items.map(([u, sep], at) => (at === items.length - 1 ? u : u + sep)).join(''));
};

const OURS = ['GOPROXY', 'GONOSUMDB', 'GOPRIVATE'] as const;
/** Keys cmd/go knows and `go env` shows, whose any value it accepts. */
const OTHERS = ['GONOPROXY', 'GOINSECURE', 'GOSUMDB'] as const;
const SHOWN = [...OURS, ...OTHERS];

/** One line of an env file, as go env -w writes them and as people edit them by hand. */
const line = (i: Instance, withUserinfo: boolean): fc.Arbitrary<string> =>
  fc.oneof(
    {
      weight: 3,
      arbitrary: fc
        .tuple(fc.constantFrom(...OURS), proxyList(i, withUserinfo))
        .map(([k, v]) => `${k}=${v}`),
    },
    {
      weight: 2,
      arbitrary: fc
        .tuple(fc.constantFrom(...OURS, ...OTHERS), lineText())
        .map(([k, v]) => `${k}=${v}`),
    },
    // `gosumdb off` style values with spaces and quotes: the value is the rest of the line.
    {
      weight: 1,
      arbitrary: fc
        .tuple(
          fc.constantFrom(...OTHERS),
          fc.constantFrom(
            'sum.golang.org',
            'off',
            '"quoted value"',
            "'single'",
            ' leading space',
            'x y z ',
            'a=b=c',
          ),
        )
        .map(([k, v]) => `${k}=${v}`),
    },
    // Unknown keys, and lines cmd/go skips that look like ours.
    {
      weight: 2,
      arbitrary: fc
        .tuple(
          word().map((w) => w.toUpperCase().replace(/^[^A-Z]/, 'X')),
          lineText(),
        )
        .map(([k, v]) => `${k}=${v}`),
    },
    {
      weight: 2,
      arbitrary: fc
        .tuple(
          fc.constantFrom('# ', '#', '// ', ' ', '\t', 'goproxy', 'export '),
          fc.constantFrom(...OURS),
          fc.constantFrom('=', ' =', '= ', ''),
          proxyList(i, false),
        )
        .map((parts) => parts.join('')),
    },
    { weight: 2, arbitrary: lineText().map((t) => `# ${t}`) },
    { weight: 2, arbitrary: fc.constantFrom('', ' ', '\t', '=', '==x', 'GOPROXY') },
    {
      weight: 1,
      arbitrary: fc.tuple(fc.constantFrom(...OTHERS), longText()).map(([k, v]) => `${k}=${v}`),
    },
  );

/** A whole env file: lines joined by LF/CRLF/CR (a lone CR is no break to cmd/go), final break or not. */
const envFile = (i: Instance, withUserinfo = false): fc.Arbitrary<string> =>
  fc
    .tuple(fc.array(line(i, withUserinfo), { maxLength: 12 }), lineBreaks(), fc.boolean())
    .map(([lines, eol, finalBreak]) => {
      let text = '';
      lines.forEach((l, at) => {
        text += l;
        if (at < lines.length - 1 || finalBreak) text += eol();
      });
      return text;
    });

/**
 * An entry as Go's url.Parse splits it: the fragment (`#`) first, then the query (`?`), then the
 * authority up to the next `/`, whose user information runs to its last `@`.
 */
function withoutGoUserinfo(entry: string): string {
  const scheme = /^\s*[A-Za-z][A-Za-z0-9+.-]*:\/\//.exec(entry);
  if (scheme === null) return entry;
  const from = scheme[0].length;
  const ends = ['#', '?', '/'].map((c) => entry.indexOf(c, from)).filter((i) => i >= 0);
  const authority = entry.slice(from, Math.min(entry.length, ...ends));
  const at = authority.lastIndexOf('@');
  return at < 0 ? entry : entry.slice(0, from) + entry.slice(from + at + 1);
}

/** `scheme://user:password@host…` without the `user:password@`: how the go kind notes a replaced value. */
const noUserinfo = (value: string): string =>
  value
    .split(/([,|])/)
    .map((part, at) => (at % 2 === 0 ? withoutGoUserinfo(part) : part))
    .join('');

/**
 * What unconfigure gives back: the original, except that the line of each key Artikey wrote (the
 * last of its key) holds its value without user:password@. Artikey never keeps a secret in its
 * state file, so the credentials of a proxy list it replaced cannot come back (migrate's backup
 * holds them).
 */
function expectedAfterRemoval(original: string, spec: GoSpec): string {
  const keys = new Set([
    'GOPROXY',
    ...(spec.noSumDb === null ? [] : ['GONOSUMDB']),
    ...(spec.private === null ? [] : ['GOPRIVATE']),
  ]);
  const lines = original.split('\n');
  for (const key of keys) {
    const at = lines.findLastIndex((l) => l.startsWith(`${key}=`));
    if (at >= 0) lines[at] = `${key}=${noUserinfo(lines[at]!.slice(key.length + 1))}`;
  }
  return lines.join('\n');
}

/** What GOPROXY reads after configure: the repository, or the person's list naming it, without credentials. */
function expectedProxy(before: string | undefined, proxyUrl: string): string {
  const plain = (t: string): string => noUserinfo(t).trim().replace(/\/+$/, '').toLowerCase();
  const parts = before === undefined ? [] : before.split(/([,|])/);
  const names = parts.some((p, at) => at % 2 === 0 && plain(p) === plain(proxyUrl));
  return names ? noUserinfo(before!) : proxyUrl;
}

/** Checks what cmd/go reads after configure against what it read before. */
function checkConfigured(
  before: Map<string, string>,
  after: Map<string, string>,
  spec: GoSpec,
): void {
  const want = new Map(before);
  want.set('GOPROXY', expectedProxy(before.get('GOPROXY'), spec.proxyUrl));
  if (spec.noSumDb !== null) want.set('GONOSUMDB', spec.noSumDb);
  if (spec.private !== null) want.set('GOPRIVATE', spec.private);
  sameSettings(after, want, 'after configure');
}

function sameSettings(
  actual: Map<string, string>,
  expected: Map<string, string>,
  when: string,
): void {
  const show = (value: string | undefined): string =>
    value === undefined ? '(unset)' : JSON.stringify(value.slice(0, 200));
  const differ = [...new Set([...actual.keys(), ...expected.keys()])]
    .filter((key) => actual.get(key) !== expected.get(key))
    .map((key) => `${key}: ${show(actual.get(key))}, expected ${show(expected.get(key))}`);
  if (differ.length > 0) throw new Error(`cmd/go reads ${when}:\n${differ.join('\n')}`);
}

const bothTokens = fc.tuple(token(), token()).filter(([a, b]) => a !== b);

const withInstance = <T>(make: (i: Instance) => fc.Arbitrary<T>): fc.Arbitrary<[Instance, T]> =>
  instance().chain((i) => make(i).map((value): [Instance, T] => [i, value]));

/** The real go command's reading of `file` (GOENV), the process environment cleared of Go settings. */
function goEnv(file: string, home: string): Map<string, string> {
  const env: NodeJS.ProcessEnv = {
    PATH: process.env['PATH'],
    HOME: home,
    GOENV: file,
    GOCACHE: join(home, 'cache'),
    GOPATH: join(home, 'gopath'),
  };
  const run = spawnSync('go', ['env', '-json', ...SHOWN], { encoding: 'utf8', env });
  if (run.status !== 0) throw new Error(`go env failed: ${run.stderr}`);
  return new Map(Object.entries(JSON.parse(run.stdout) as Record<string, string>));
}

/** What `go env` shows for the keys SHOWN, from the model's reading, with cmd/go's defaults. */
function shownByGo(settings: Map<string, string>): Map<string, string> {
  // cmd/go's envOr: an empty value is no value, the default applies.
  const get = (key: string, fallback: string): string => settings.get(key) || fallback;
  const priv = get('GOPRIVATE', '');
  return new Map([
    ['GOPROXY', get('GOPROXY', 'https://proxy.golang.org,direct')],
    ['GONOSUMDB', get('GONOSUMDB', priv)],
    ['GOPRIVATE', priv],
    ['GONOPROXY', get('GONOPROXY', priv)],
    ['GOINSECURE', get('GOINSECURE', '')],
    ['GOSUMDB', get('GOSUMDB', 'sum.golang.org')],
  ]);
}

export const suite: FuzzSuite = {
  editor: 'go-env-file.ts (go)',
  properties: [
    {
      name: 'configure, refresh, unconfigure give back the original bytes (credentials in a replaced GOPROXY excepted)',
      cases: 200,
      property: () =>
        fc.property(
          withInstance((i) => fc.tuple(goSpec(i), fc.option(envFile(i, true), { nil: null }))),
          bothTokens,
          ([, [spec, original]], [first, second]) => {
            const { configured, refreshed, removed } = cycle(spec, original, first, second);
            if (refreshed !== configured)
              throw new Error('a refresh changed the env file, which holds no token');
            if (original === null) {
              if (removed !== null)
                throw new Error(`a file Artikey created is left: ${JSON.stringify(removed)}`);
              return;
            }
            const expected = expectedAfterRemoval(original, spec);
            if (removed !== expected)
              throw new Error(
                `unconfigure left ${JSON.stringify(removed)}, expected ${JSON.stringify(expected)}`,
              );
          },
        ),
    },
    {
      name: "cmd/go's reader sees Artikey's settings after configure and refresh, every other as before, and the original after unconfigure",
      cases: 300,
      property: () =>
        fc.property(
          withInstance((i) => fc.tuple(goSpec(i), envFile(i, true))),
          bothTokens,
          ([, [spec, original]], [first, second]) => {
            const { configured, refreshed, removed } = cycle(spec, original, first, second);
            const before = readsAsGo(original);
            checkConfigured(before, readsAsGo(configured), spec);
            checkConfigured(before, readsAsGo(refreshed), spec);
            sameSettings(
              readsAsGo(removed ?? ''),
              readsAsGo(expectedAfterRemoval(original, spec)),
              'after unconfigure',
            );
          },
        ),
    },
    {
      name: 'neither the token nor the user name ever lands in the env file',
      cases: 200,
      property: () =>
        fc.property(
          withInstance((i) => fc.tuple(goSpec(i), fc.option(envFile(i), { nil: null }))),
          bothTokens,
          ([, [spec, original]], [first, second]) => {
            const { configured, refreshed } = cycle(spec, original, first, second);
            for (const text of [configured, refreshed])
              for (const secret of [first, second, credentials(first).username])
                if (occurrences(text, secret) !== occurrences(original ?? '', secret))
                  throw new Error('a credential reached the Go env file');
          },
        ),
    },
    {
      name: "migrate: GOPROXY keeps the person's list naming the repository without its credentials, the old secret is nowhere, unconfigure leaves the original minus it",
      cases: 200,
      property: () =>
        fc.property(
          withInstance((i) =>
            fc.tuple(
              envFile(i),
              // Go's url.Parse takes the user information up to the authority's last `@`.
              fc.constantFrom('ada', 'build%40corp', 'build@corp', 'x'),
              fc.constantFrom('old-password-1', 'AKCp8old%3Akey', 'pw with space'),
              fc.constantFrom('go-virtual', 'go-remote'),
              fc.constantFrom(',direct', '|https://proxy.golang.org', ''),
              fc.boolean(),
              fc.nat(),
              fc.constantFrom('\n', '\r\n'),
            ),
          ),
          bothTokens,
          ([i, [rest, user, password, repo, tail, front, where, eol]], [first]) => {
            const url = `${platformOf(i)}${i.prefix}api/go/${repo}`;
            const withCredentials = url.replace('https://', `https://${user}:${password}@`);
            const value = front
              ? `${withCredentials}${tail}`
              : `https://goproxy.io,${withCredentials}${tail}`;
            // The credential's line goes anywhere among the others; a GOPROXY after it overrides it.
            const lines = rest === '' ? [] : rest.split('\n');
            lines.splice(
              where % (lines.length + 1),
              0,
              `GOPROXY=${value}${eol === '\r\n' ? '\r' : ''}`,
            );
            const original = lines.join('\n');
            const { text, spec, restore } = migrate(original, i, first);
            if (text.includes(`:${password}@`))
              throw new Error(`the old secret is still in the env file: ${JSON.stringify(text)}`);
            if (text.includes(first)) throw new Error('the token reached the env file');
            const before = readsAsGo(original);
            const want = new Map(before);
            want.set('GOPROXY', expectedProxy(before.get('GOPROXY'), spec.proxyUrl));
            sameSettings(readsAsGo(text), want, 'after migrate');
            // Documented exception: unconfigure gives back the original without the adopted
            // credential (migrate's backup holds it), every other byte as it was.
            const removed = removal(recordOf(spec, original, restore), text);
            // The GOPROXY line Go reads comes back as configure's round trip gives it back too.
            const expected = expectedAfterRemoval(
              original.replace(`${user}:${password}@`, ''),
              spec,
            );
            if (removed !== expected)
              throw new Error(
                `unconfigure after migrate left ${JSON.stringify(removed)}, expected ${JSON.stringify(expected)}`,
              );
          },
        ),
    },
    // With a byte-order mark or without: cmd/go reads one as characters of the first key (a
    // first line `\uFEFFGOPROXY=…` sets nothing), and so does the editor (byte-order-mark.ts).
    {
      name: 'the real `go env -json` (GOENV=the file) reads what Artikey meant, then the original after unconfigure',
      cases: 8,
      benchCases: 2_000,
      property: () =>
        fc.asyncProperty(
          withInstance((i) => fc.tuple(goSpec(i), envFile(i, true))),
          token(),
          fc.boolean(),
          async ([, [spec, withoutMark]], first, bom) => {
            const original = `${bom ? '\uFEFF' : ''}${withoutMark}`;
            const home = mkdtempSync(join(tmpdir(), 'artikey-fuzz-go-'));
            try {
              const file = join(home, 'env');
              const target = { ...spec, path: file };
              const bytes = Buffer.from(original, 'utf8');
              writeFileSync(file, bytes);
              const before = goEnv(file, home);
              const modelBefore = shownByGo(readsAsGo(bytes.toString('utf8')));
              sameSettings(before, modelBefore, 'before (the model against the real go)');
              const { restore } = await writeTarget(target, credentials(first));
              const after = goEnv(file, home);
              const want = new Map(readsAsGo(bytes.toString('utf8')));
              want.set('GOPROXY', expectedProxy(want.get('GOPROXY'), spec.proxyUrl));
              if (spec.noSumDb !== null) want.set('GONOSUMDB', spec.noSumDb);
              if (spec.private !== null) want.set('GOPRIVATE', spec.private);
              sameSettings(after, shownByGo(want), 'after configure (go env)');
              await removeTarget({ ...recordOf(target, original, restore) });
              const left = readFileSync(file, 'utf8');
              sameSettings(
                goEnv(file, home),
                shownByGo(readsAsGo(left)),
                'after unconfigure (go env)',
              );
              sameSettings(
                shownByGo(readsAsGo(left)),
                shownByGo(readsAsGo(expectedAfterRemoval(original, spec))),
                'after unconfigure',
              );
            } finally {
              rmSync(home, { recursive: true, force: true });
            }
          },
        ),
    },
  ],
};

/** Migrate as `artikey migrate` runs it: scan, plan, write each replacing entry, then its cleanup. */
function migrate(
  original: string,
  i: Instance,
  token: string,
): { text: string; spec: GoSpec; restore: Record<string, string> } {
  const platformUrl = platformOf(i);
  const context = {
    tool: 'go' as const,
    file: '/home/fuzz/.config/go/env',
    instances: [{ id: 'ours', platformUrl, registryHost: '' }],
  };
  const found = findInGoEnv(context, original).found;
  const environment = { platform: 'linux' as const, env: {}, home: '/home/fuzz' };
  const steps = planMigration(found, { id: 'ours', platformUrl, username: null }, [], environment);
  let text = original;
  let adopted: { spec: GoSpec; restore: Record<string, string> } | null = null;
  for (const step of steps) {
    if (step.action !== 'replace')
      throw new Error(`migrate skipped the credential: ${step.reason}`);
    const write = renderWrite(step.target, text, credentials(token));
    text = write.text;
    adopted ??= { spec: step.target as GoSpec, restore: write.restore };
    if (step.cleanup) text = cleanerOf(step.cleanup.kind)!.edit(text, step.cleanup);
  }
  if (adopted === null) throw new Error('the scan found no credential to migrate');
  return { text, ...adopted };
}
