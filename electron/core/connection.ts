import type { Stats } from 'node:fs';
import { readFile, stat } from 'node:fs/promises';
import { isAbsolute } from 'node:path';
import { ArtikeyError } from './errors.js';
import { createHttpClient, type HttpClient } from './http.js';

/** How Artikey reaches an instance: an extra CA bundle (PEM file) and an HTTP(S) proxy. */
export interface Connection {
  caFile: string | null;
  /** `http://proxy.corp:3128`; null = HTTPS_PROXY / HTTP_PROXY / NO_PROXY decide. */
  proxy: string | null;
}

const PEM_CERTIFICATE = '-----BEGIN CERTIFICATE-----';
const MAX_CA_FILE_BYTES = 4 * 1024 * 1024;

/**
 * An absolute path to a readable file holding at least one PEM certificate, that only its owner
 * (this user or root) can change: whoever can write a trusted CA can impersonate the instance.
 */
export async function checkCaFile(path: string): Promise<string> {
  await readCaFile(path);
  return path;
}

/** The bundle's text, read only after the checks of `checkCaFile` pass. */
async function readCaFile(path: string): Promise<string> {
  const refuse = (why: string): never => {
    throw new ArtikeyError('invalid-option', `The CA bundle ${path} ${why}`);
  };
  if (!isAbsolute(path)) refuse('is not an absolute path; give the full path of the PEM file.');
  let text: string;
  try {
    const info = await stat(path);
    if (!info.isFile()) refuse('is not a file.');
    if (info.size > MAX_CA_FILE_BYTES) refuse('is larger than 4 MiB; that is not a certificate bundle.');
    checkCaFileOwner(info, refuse);
    text = await readFile(path, 'utf8');
  } catch (error) {
    if (error instanceof ArtikeyError) throw error;
    return refuse(`cannot be read (${(error as NodeJS.ErrnoException).code ?? (error as Error).message}).`);
  }
  if (!text.includes(PEM_CERTIFICATE)) refuse(`holds no PEM certificate (a "${PEM_CERTIFICATE}" block).`);
  return text;
}

/** POSIX only: Windows has no mode bits or uids here (its ACLs are the folder's business). */
function checkCaFileOwner(info: Stats, refuse: (why: string) => never): void {
  const me = process.getuid?.();
  if (me === undefined) return;
  if (info.uid !== me && info.uid !== 0) refuse(`belongs to another user (uid ${info.uid}); use a copy you own.`);
  if ((info.mode & 0o022) !== 0) refuse(`can be changed by ${info.mode & 0o002 ? 'every user' : 'its group'}; make it writable only by you (chmod go-w).`);
}

/** `http://host:port` or `https://host:port`, with nothing after the host but an optional "/". */
export function checkProxy(value: string): string {
  let url: URL;
  try {
    url = new URL(value.trim());
  } catch {
    throw new ArtikeyError('invalid-option', 'The proxy is not a URL; give it as http://proxy.example.com:3128.');
  }
  // Named by scheme and host only: what the person typed may hold a password.
  const refuse = (why: string): never => {
    throw new ArtikeyError('invalid-option', `The proxy ${url.protocol}//${url.host} ${why}`);
  };
  if (url.protocol !== 'http:' && url.protocol !== 'https:') refuse(`must start with http:// or https://, not ${url.protocol}//.`);
  if (!url.hostname) refuse('has no host.');
  // A proxy password would land in the state file, which never holds a secret.
  if (url.username || url.password) refuse('carries a user name or password; Artikey stores no proxy credentials (set HTTPS_PROXY in the environment instead).');
  if ((url.pathname !== '/' && url.pathname !== '') || url.search || url.hash) refuse('has a path; give only the scheme, host and port.');
  return url.origin;
}

/** HTTP for one instance: the system's CAs plus its CA bundle; its proxy for everything, else the environment's proxies. */
export async function defaultHttpFor(instance: Connection, env: Record<string, string | undefined> = process.env): Promise<HttpClient> {
  // Checked on every use, not only when chosen: a bundle that became writable by others since is no longer trusted.
  const extraCa = instance.caFile ? await readCaFile(instance.caFile) : undefined;
  // The instance's own proxy wins over the environment, and NO_PROXY must not send it around it.
  const proxied = instance.proxy ? { ...env, HTTPS_PROXY: instance.proxy, HTTP_PROXY: instance.proxy, NO_PROXY: '' } : env;
  return createHttpClient({ ...(extraCa ? { extraCa } : {}), env: proxied, userAgent: 'artikey' });
}
