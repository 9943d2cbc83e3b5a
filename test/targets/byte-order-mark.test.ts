import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeEach, describe, expect, it } from 'vitest';
import { findInText } from '../../electron/core/scan/scan.js';
import { removeTarget, writeTarget } from '../../electron/core/targets/targets.js';
import type { TargetRecord, TargetSpec } from '../../electron/core/targets/target-record.js';
import { targetSpec } from '../../electron/core/targets/tool-request.js';
import { OracleProcess } from '../fuzz/support/oracle-process.js';

/**
 * cmd/go and java.util.Properties (Gradle, sbt) read a UTF-8 byte-order mark as characters of
 * the first line. Artikey took it off for every tool, so a setting on line 1 of such a file was
 * Artikey's to edit while the tool read it under another name: Artikey "set" GOPROXY and Go
 * kept proxy.golang.org. Found by the Go env and Java properties fuzz suites.
 */
const BOM = '\uFEFF';
const credentials = { username: 'ada', token: 'eyJ0b2tlbiI6MX0.e30.c2ln' };
const java = new OracleProcess('java.util.Properties', 'java', [
  join(import.meta.dirname, '../fuzz/oracles/JavaPropertiesOracle.java'),
]);

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'artikey-bom-'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));
afterAll(() => java.close());

const recordOf = (spec: TargetSpec, restore: Record<string, string>): TargetRecord =>
  ({ ...spec, restore, createdFile: false, writtenAt: null, error: null }) as TargetRecord;

/** Configure then unconfigure through the real file; returns what the tool read in between. */
async function cycle(spec: TargetSpec, before: string, read: () => Promise<unknown> | unknown) {
  writeFileSync(spec.path, before);
  const { restore } = await writeTarget(spec, credentials);
  const written = readFileSync(spec.path, 'utf8');
  const reading = await read();
  await removeTarget(recordOf(spec, restore));
  return { written, reading, after: readFileSync(spec.path, 'utf8') };
}

describe('a byte-order mark the tool reads as text', () => {
  it('go: a line-1 GOPROXY after the mark is another name to cmd/go; Artikey adds its own, which `go env` reads', async () => {
    const path = join(dir, 'go.env');
    const spec = targetSpec(
      'go',
      { platformUrl: 'https://acme.jfrog.io/' },
      { repo: 'go-virtual' },
      { platform: 'linux', env: { GOENV: path }, home: dir },
    );
    const before = `${BOM}GOPROXY=https://proxy.golang.org,direct\nGOFLAGS=-mod=mod\n`;
    const goProxy = () =>
      spawnSync('go', ['env', 'GOPROXY'], {
        encoding: 'utf8',
        env: { ...process.env, GOENV: path, HOME: dir },
      }).stdout.trim();
    const { written, reading, after } = await cycle(spec, before, goProxy);
    expect(reading).toBe('https://acme.jfrog.io/artifactory/api/go/go-virtual');
    expect(written.startsWith(`${BOM}GOPROXY=https://proxy.golang.org,direct\n`)).toBe(true);
    expect(after).toBe(before);
    // The scan reads the file as Go does: no GOPROXY of the instance's on line 1.
    expect(
      findInText(
        'go',
        path,
        `${BOM}GOPROXY=https://ada:old@acme.jfrog.io/artifactory/api/go/go\n`,
        [{ id: 'acme', platformUrl: 'https://acme.jfrog.io/', registryHost: 'acme.jfrog.io' }],
      ),
    ).toEqual([]);
  });

  it('gradle: a line-1 key after the mark is another key to Properties.load; Artikey adds its own, which Gradle reads', async () => {
    const path = join(dir, 'gradle.properties');
    const spec = targetSpec(
      'gradle',
      { platformUrl: 'https://acme.jfrog.io/' },
      {},
      { platform: 'linux', env: { GRADLE_USER_HOME: dir }, home: dir },
    );
    expect(spec.path).toBe(path);
    const before = `${BOM}artifactory_password=old\norg.gradle.daemon=false\n`;
    const gradleReads = async () =>
      (
        await java.ask<{ properties: Record<string, string> }>({
          base64: readFileSync(path).toString('base64'),
        })
      ).properties;
    const { reading, after } = await cycle(spec, before, gradleReads);
    expect(reading).toMatchObject({
      'ï»¿artifactory_password': 'old',
      artifactory_password: credentials.token,
      artifactory_user: 'ada',
      'org.gradle.daemon': 'false',
    });
    expect(after).toBe(before);
  });

  it('npm skips the mark: Artikey edits the text after it and keeps the mark in front', async () => {
    const path = join(dir, '.npmrc');
    const spec = targetSpec(
      'npm',
      { platformUrl: 'https://acme.jfrog.io/' },
      { repo: 'npm-virtual' },
      { platform: 'linux', env: { NPM_CONFIG_USERCONFIG: path }, home: dir },
    );
    const before = `${BOM}registry=https://registry.npmjs.org/\n`;
    const { written, after } = await cycle(spec, before, () => null);
    expect(written.startsWith(`${BOM}registry=https://registry.npmjs.org/\n`)).toBe(true);
    expect(written).toContain(
      `//acme.jfrog.io/artifactory/api/npm/npm-virtual/:_authToken=${credentials.token}`,
    );
    expect(after).toBe(before);
  });
});
