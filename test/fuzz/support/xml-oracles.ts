/**
 * The Java oracle of the XML suites (test/fuzz/oracles/XmlSettingsOracle.java): Maven's own
 * settings reader and the JDK's DOM parser with NuGet's reading rules, one long-lived JVM per
 * suite. Files go to it as bytes, so a byte-order mark and the declared encoding count as the
 * tools count them.
 */
import { fileURLToPath } from 'node:url';
import { OracleProcess, type OraclePool } from './oracle-process.js';

const PROGRAM = fileURLToPath(new URL('../oracles/XmlSettingsOracle.java', import.meta.url));

export interface MavenServerView {
  id: string | null;
  username: string | null;
  password: string | null;
  [field: string]: unknown;
}

export interface MavenMirrorView {
  id: string | null;
  url: string | null;
  mirrorOf: string | null;
  [field: string]: unknown;
}

export interface MavenSettingsView {
  servers: MavenServerView[];
  mirrors: MavenMirrorView[];
  [field: string]: unknown;
}

/** What Maven reads: `strict` false means Maven falls back to its lenient reading, with a warning. */
export interface MavenAnswer {
  strict: boolean;
  strictError?: string;
  settings: MavenSettingsView | null;
  error?: string;
}

export interface NuGetSourceView {
  key?: string;
  value?: string;
  protocolVersion?: string | null;
  clear?: true;
}

export interface NuGetCredentialsView {
  name?: string;
  username?: string;
  password?: string;
  clearText?: boolean;
  clear?: true;
}

export interface NuGetAnswer {
  error?: string;
  sources?: NuGetSourceView[];
  credentials?: NuGetCredentialsView[];
  disabled?: { key: string; value: string }[];
  others?: string[];
}

const oracle = (pool: OraclePool): OracleProcess =>
  pool.get(
    'xml-settings',
    () =>
      new OracleProcess('XmlSettingsOracle.java', 'java', [
        '-cp',
        '/usr/share/maven/lib/*',
        PROGRAM,
      ]),
  );

async function ask<T>(pool: OraclePool, format: string, bytes: Buffer | string): Promise<T> {
  const data = typeof bytes === 'string' ? Buffer.from(bytes, 'utf8') : bytes;
  const answer = await oracle(pool).ask<T & { oracleError?: string }>({
    format,
    base64: data.toString('base64'),
  });
  if (answer.oracleError !== undefined) throw new Error(`the oracle failed: ${answer.oracleError}`);
  return answer;
}

export const readByMaven = (pool: OraclePool, bytes: Buffer | string): Promise<MavenAnswer> =>
  ask<MavenAnswer>(pool, 'maven', bytes);

export const readByNuGet = (pool: OraclePool, bytes: Buffer | string): Promise<NuGetAnswer> =>
  ask<NuGetAnswer>(pool, 'nuget', bytes);
