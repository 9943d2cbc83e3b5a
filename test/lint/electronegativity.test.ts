import { execFileSync } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { root } from '../support/built.js';

/**
 * Electronegativity (Doyensec's Electron security scanner) over the app's own code, for the
 * Electron version we ship: electron/ (TypeScript, which it parses with Babel's TypeScript
 * plugin), the page's index.html, where the Content-Security-Policy lives, renderer/src and
 * package.json. The built dist/ is not scanned: in esbuild's bundles it misses the preload,
 * openExternal and protocol uses and reports navigation and permission handlers as missing.
 *
 * Nothing of MEDIUM or higher severity is allowed. Lower findings must be listed in ACCEPTED,
 * each with the reason it is acceptable, and an entry that no longer fires must be removed.
 */
const ACCEPTED: readonly { id: string; file: string; severity: string; why: string }[] = [
  {
    id: 'CSP_GLOBAL_CHECK',
    file: 'renderer/index.html',
    severity: 'LOW',
    why: "csp-evaluator's generic note on script-src 'self' (JSONP, user uploads); the page is our bundle in the app package, nothing else is loaded, connect-src is 'none'.",
  },
  {
    id: 'ELECTRON_VERSION_JSON_CHECK',
    file: 'package.json',
    severity: 'INFORMATIONAL',
    why: 'Only reports which Electron version package.json asks for.',
  },
];

/**
 * `eng-disable` comments make Electronegativity drop a finding without a trace, so each one in
 * the scanned code must be listed here with its review.
 */
const SUPPRESSED: readonly { id: string; file: string; why: string }[] = [
  {
    id: 'PRELOAD_JS_CHECK',
    file: 'electron/main/window.ts',
    why: 'Fires for every preload. Ours exposes only the contract’s named methods through contextBridge, never ipcRenderer, in an isolated, sandboxed page (test/ipc/contract.test.ts runs the built preload).',
  },
  {
    id: 'OPEN_EXTERNAL_JS_CHECK',
    file: 'electron/main/external-links.ts',
    why: 'Fires for every non-constant URL. This is the only call, right after isAllowedExternalUrl: http(s) on an instance’s own host, no credentials (test/main/web-policy.test.ts).',
  },
  {
    id: 'PROTOCOL_HANDLER_JS_CHECK',
    file: 'electron/main/index.ts',
    why: 'Fires for every URL scheme. artikey:// links only navigate the window or pre-fill a login; parseLink ignores anything else (test/main/launch-request.test.ts).',
  },
];

/** The release-list check downloads Electron's releases from GitHub; tests stay offline. */
const EXCLUDED_CHECKS = ['AvailableSecurityFixesGlobalCheck'];

const SEVERITIES = ['INFORMATIONAL', 'LOW', 'MEDIUM', 'HIGH'];
const CANARY = 'canary/planted.ts';
const scanner = `${root}node_modules/@doyensec/electronegativity/dist`;

const electronVersion = (
  JSON.parse(readFileSync(`${root}package.json`, 'utf8')) as {
    devDependencies: Record<string, string>;
  }
).devDependencies['electron']!.replace(/^[\^~=v]+/, '');

interface Finding {
  id: string;
  severity: string;
  confidence: string;
  file: string;
  location: string;
  sample: string;
}

/** Electronegativity's CSV: quoted fields double their quotes and may span lines. */
function parseCsv(text: string): Finding[] {
  const rows: string[][] = [[]];
  let field = '';
  let quoted = false;
  const endField = (): void => {
    rows.at(-1)!.push(field);
    field = '';
  };
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!;
    if (quoted && c === '"' && text[i + 1] === '"') {
      field += '"';
      i++;
    } else if (c === '"') quoted = !quoted;
    else if (!quoted && c === ',') endField();
    else if (!quoted && c === '\n') {
      endField();
      rows.push([]);
    } else if (quoted || c !== '\r') field += c;
  }
  if (field) endField();
  const [header, ...body] = rows;
  expect(header?.map((h) => h.trim()).slice(0, 6)).toEqual([
    'issue',
    'severity',
    'confidence',
    'filename',
    'location',
    'sample',
  ]);
  return body
    .filter((row) => row.length > 1)
    .map(([id = '', severity = '', confidence = '', file = '', location = '', sample = '']) => ({
      id,
      severity,
      confidence,
      file,
      location,
      sample,
    }));
}

let scratch = '';
let app = '';
let findings: Finding[] = [];
let scanned: string[] = [];

describe(`Electronegativity (Electron ${electronVersion})`, () => {
  beforeAll(async () => {
    scratch = mkdtempSync(join(tmpdir(), 'artikey-electronegativity-'));
    app = join(scratch, 'app');
    cpSync(`${root}electron`, join(app, 'electron'), { recursive: true });
    mkdirSync(join(app, 'renderer'));
    cpSync(`${root}renderer/index.html`, join(app, 'renderer', 'index.html'));
    cpSync(`${root}renderer/src`, join(app, 'renderer', 'src'), { recursive: true });
    cpSync(`${root}package.json`, join(app, 'package.json'));
    // Proof that it reads TypeScript and that its report reaches us: one known-bad line, typed.
    mkdirSync(join(app, 'canary'));
    writeFileSync(
      join(app, CANARY),
      "const source: string = process.argv[2] ?? '';\nexport const run = (): unknown => eval('void ' + source);\n",
    );
    const csv = join(scratch, 'findings.csv');
    execFileSync(
      process.execPath,
      [
        '--require',
        `${root}build/scripts/electronegativity-shim.cjs`,
        `${scanner}/index.js`,
        '-i',
        app,
        '-e',
        electronVersion,
        '-x',
        EXCLUDED_CHECKS.join(','),
        '-r',
        '-o',
        csv,
      ],
      { stdio: 'pipe', env: { ...process.env, LANG: 'en-US' }, timeout: 120_000 },
    );
    findings = parseCsv(readFileSync(csv, 'utf8'));
    const { list_files } = createRequire(import.meta.url)(`${scanner}/util/file.js`) as {
      list_files(dir: string): Promise<string[]>;
    };
    scanned = await list_files(app);
  });
  afterAll(() => {
    if (scratch) rmSync(scratch, { recursive: true, force: true });
  });

  const ours = (): Finding[] => findings.filter((f) => f.file !== CANARY);
  const show = (list: readonly Finding[]): string =>
    list.map((f) => `${f.id} ${f.severity}/${f.confidence} ${f.file}:${f.location}`).join('\n');

  it('parses every TypeScript, JavaScript and HTML file it scans, and finds a planted eval', () => {
    // With -o it skips a file it cannot parse without a word; its own parser must read them all.
    const { Parser } = createRequire(import.meta.url)(`${scanner}/parser/parser.js`) as {
      Parser: new (
        babelFirst: boolean,
        typescriptBabelFirst: boolean,
      ) => {
        parse(file: string, content: Buffer): unknown;
      };
    };
    const parser = new Parser(false, true); // as its runner makes it
    const unreadable = scanned.filter((file) => {
      try {
        parser.parse(file, readFileSync(file));
        return false;
      } catch {
        return true;
      }
    });
    expect(unreadable.map((file) => relative(app, file))).toEqual([]);
    expect(scanned.filter((file) => file.endsWith('.ts')).length).toBeGreaterThan(20);
    expect(findings.filter((f) => f.file === CANARY).map((f) => f.id)).toEqual([
      'DANGEROUS_FUNCTIONS_JS_CHECK',
    ]);
  });

  it('finds nothing of MEDIUM or higher severity', () => {
    for (const finding of findings) expect(SEVERITIES, finding.id).toContain(finding.severity);
    const serious = ours().filter((f) => SEVERITIES.indexOf(f.severity) >= 2);
    expect(serious, show(serious)).toEqual([]);
  });

  it('finds only the reviewed lower findings, and each review still applies', () => {
    const lower = ours().filter((f) => SEVERITIES.indexOf(f.severity) < 2);
    const unreviewed = lower.filter(
      (f) => !ACCEPTED.some((a) => a.id === f.id && a.file === f.file && a.severity === f.severity),
    );
    expect(unreviewed, `not in ACCEPTED:\n${show(unreviewed)}`).toEqual([]);
    const stale = ACCEPTED.filter((a) => !lower.some((f) => f.id === a.id && f.file === a.file));
    expect(stale, 'ACCEPTED entries that no longer fire: remove them').toEqual([]);
    for (const { why } of ACCEPTED) expect(why.length).toBeGreaterThan(20);
  });

  it('has no eng-disable comment that is not listed with its review', () => {
    // Its own pattern (util/exceptions.js); a check is named by id or by class name.
    const annotation = /(?:\/\*|\/\/|<!--)[ \t]*eng-disable[ \t]+([\w \t,]+)/gi;
    const annotations = scanned.flatMap((file) =>
      [...readFileSync(file, 'utf8').matchAll(annotation)].flatMap((match) =>
        match[1]!
          .split(/[\s,]+/)
          .filter((word) => /check$/i.test(word))
          .map((id) => ({ id, file: relative(app, file) })),
      ),
    );
    const unlisted = annotations.filter(
      (a) =>
        !SUPPRESSED.some((s) => s.id.toUpperCase() === a.id.toUpperCase() && s.file === a.file),
    );
    expect(unlisted, 'eng-disable comments missing from SUPPRESSED').toEqual([]);
    const stale = SUPPRESSED.filter(
      (s) =>
        !annotations.some((a) => a.id.toUpperCase() === s.id.toUpperCase() && a.file === s.file),
    );
    expect(stale, 'SUPPRESSED entries without their comment: remove them').toEqual([]);
  });
});
