import { ArtikeyError } from './errors.js';
import type { InstanceRecord, StateData } from './state.js';

/**
 * What users paste as an Artifactory address, reduced to one platform URL and one stable id.
 * `acme.jfrog.io`, `https://acme.jfrog.io/artifactory/` and a link into the web UI all name the
 * same instance, so logging in again updates it rather than adding a twin.
 */

/** Path segments that belong to a JFrog service, not to the platform's own base path. */
const SERVICE_SEGMENTS = new Set([
  'artifactory',
  'access',
  'ui',
  'xray',
  'distribution',
  'mc',
  'pipelines',
  'webapp',
  'jfconnect',
  'router',
  'v2',
]);

export interface PlatformAddress {
  /** `https://acme.jfrog.io/` — always with a trailing slash. */
  platformUrl: string;
  /** `https://acme.jfrog.io/artifactory/` */
  artifactoryUrl: string;
  /** `acme.jfrog.io`, `arti.corp:8443`: where Docker pulls from (repository-path method). */
  registryHost: string;
  /** Stable and file-name safe: `acme.jfrog.io`, `arti.corp-8443`, `corp.example-jfrog`. */
  id: string;
}

export type AddressProblem =
  | { code: 'empty'; message: string }
  | { code: 'invalid'; message: string }
  | { code: 'unsupported-scheme'; message: string }
  | { code: 'credentials-in-url'; message: string };

export type AddressResult = { ok: true; address: PlatformAddress } | { ok: false; problem: AddressProblem };

const LOOPBACK = /^(localhost|127(?:\.\d{1,3}){3}|\[::1\])$/;

export function parsePlatformAddress(input: string): AddressResult {
  const text = input.trim();
  if (text === '') return problem('empty', 'Enter the address of your Artifactory, for example acme.jfrog.io.');
  const hasScheme = /^[a-z][a-z0-9+.-]*:\/\//i.test(text);
  let url: URL;
  try {
    // Without a scheme, TLS is the default; only loopback (the bundled demo) defaults to plain HTTP.
    url = new URL(hasScheme ? text : `${LOOPBACK.test(hostOf(text)) ? 'http' : 'https'}://${text}`);
  } catch {
    return problem('invalid', `"${text}" is not a web address. Enter something like acme.jfrog.io or https://arti.example.com/artifactory/.`);
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') {
    return problem('unsupported-scheme', `Artifactory is reached over https:// (or http://), not ${url.protocol}//.`);
  }
  if (url.username || url.password) {
    return problem('credentials-in-url', 'Remove the user name and password from the address; Artikey asks for them when you log in.');
  }
  if (!url.hostname || !/^[a-z0-9.[\]:-]+$/i.test(url.hostname) || url.hostname.startsWith('.') || url.hostname.endsWith('..')) {
    return problem('invalid', `"${text}" has no valid host name.`);
  }
  const segments = url.pathname.split('/').filter(Boolean);
  const serviceIndex = segments.findIndex((segment) => SERVICE_SEGMENTS.has(segment.toLowerCase()));
  const base = serviceIndex === -1 ? segments : segments.slice(0, serviceIndex);
  const basePath = base.length ? `/${base.join('/')}/` : '/';
  const host = url.host.toLowerCase();
  const platformUrl = `${url.protocol}//${host}${basePath}`;
  const id = [host.replace(':', '-'), ...base.map((segment) => segment.toLowerCase())]
    .join('-')
    .replace(/[^a-z0-9.-]+/g, '-');
  return {
    ok: true,
    address: { platformUrl, artifactoryUrl: `${platformUrl}artifactory/`, registryHost: host, id },
  };
}

/** The host part of a scheme-less address, to decide its default scheme. */
function hostOf(text: string): string {
  const authority = text.split(/[/?#]/, 1)[0] ?? '';
  const withoutPort = authority.startsWith('[') ? authority.slice(0, authority.indexOf(']') + 1) : authority.split(':')[0];
  return (withoutPort ?? '').toLowerCase();
}

const problem = (code: AddressProblem['code'], message: string): AddressResult => ({ ok: false, problem: { code, message } as AddressProblem });

/**
 * A display name as typed, without surrounding spaces. Names are how people pick an instance on
 * the command line, so one that another instance has (in any case: "Acme" and "acme" look alike
 * in a list) or that is another's id is refused, naming that instance; so is an empty one.
 * `ownId`: the instance being named, whose own name is no obstacle.
 */
export function checkName(state: StateData, name: string, ownId: string): string {
  const clean = name.trim();
  if (clean === '' || clean.length > 80) throw new ArtikeyError('invalid-name', `A name needs 1 to 80 characters besides spaces; "${name}" has ${clean.length}.`);
  const folded = clean.toLowerCase();
  const other = state.instances.find((i) => i.id !== ownId && (i.name.toLowerCase() === folded || i.id === folded));
  if (other) throw new ArtikeyError('name-taken', `The name "${clean}" is taken: ${other.platformUrl} is called "${other.name}". Choose another name.`);
  return clean;
}

/**
 * The name a new instance gets when the person gave none: its host, as people say it. When that
 * names another instance already (one renamed to it, or another path on the same host), its
 * address without the scheme, then the host with a number: a login never fails over a default.
 */
export function defaultName(state: StateData, address: PlatformAddress): string {
  const free = (name: string): boolean => {
    const folded = name.toLowerCase();
    return !state.instances.some((i) => i.id !== address.id && (i.name.toLowerCase() === folded || i.id === folded));
  };
  const host = address.registryHost;
  const withPath = address.platformUrl.replace(/^[a-z]+:\/\//, '').replace(/\/$/, '');
  for (const name of [host, withPath]) if (free(name)) return name;
  for (let n = 2; ; n++) if (free(`${host} (${n})`)) return `${host} (${n})`;
}

/** An instance by id, display name, or any address that normalises to it. */
export function findInstance(state: StateData, reference: string): InstanceRecord {
  const byId = state.instances.find((i) => i.id === reference || i.name === reference);
  if (byId) return byId;
  const parsed = parsePlatformAddress(reference);
  const byAddress = parsed.ok ? state.instances.find((i) => i.id === parsed.address.id) : undefined;
  if (byAddress) return byAddress;
  const known = state.instances.map((i) => i.name).join(', ') || 'none yet';
  throw new ArtikeyError('instance-not-found', `No instance "${reference}" (known: ${known}). Log in first: artikey login <url>`);
}
