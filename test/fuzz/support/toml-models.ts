/**
 * What a TOML reader must read after Artikey's edits, worked out from what it read before: each
 * TOML kind's keys set on configure, and on unconfigure each key back to what the person had
 * (restore-notes.ts: a plain secret is not kept, so it goes; a `${VAR}` stays; a URL with a
 * password in it comes back without the password), every other entry as it was.
 */
import type { TargetSpec } from '../../../electron/core/targets/target-record.js';
import { USERNAME } from './target-cycle.js';

export type Doc = Record<string, unknown>;

/** In a modelled reading: another reading that is as right (see `readingsOf`). */
const EITHER = '\u0000either';

/** The readings a model allows: itself, or the others it names. */
export function readingsOf(model: Doc): Doc[] {
  const { [EITHER]: others, ...reading } = model;
  return [reading, ...((others as Doc[] | undefined) ?? [])];
}
type Path = (string | number)[];

const isTable = (v: unknown): v is Doc => typeof v === 'object' && v !== null && !Array.isArray(v);

export const clone = <T>(v: T): T => structuredClone(v);

/** The table at `path`, made (as TOML would) where it is missing; undefined where a value is in the way. */
function tableAt(doc: Doc, path: Path, make: boolean): Doc | undefined {
  let at: unknown = doc;
  for (const step of path) {
    const here = at as Record<string | number, unknown>;
    if (here[step] === undefined && make) here[step] = {};
    at = here[step];
    if (!isTable(at)) return undefined;
  }
  return at as Doc;
}

/** A URL without user and password (what rememberPrevious and uv's and Bun's notes keep). */
function withoutUserInfo(value: string): string {
  try {
    const url = new URL(value);
    if (url.username === '' && url.password === '') return value;
    url.username = '';
    url.password = '';
    return url.href;
  } catch {
    return value;
  }
}

/** Takes out the tables along `path` that are empty, deepest first. */
function pruneEmpty(doc: Doc, path: Path, levels = path.length): void {
  for (let depth = path.length; depth > path.length - levels; depth--) {
    const parent = tableAt(doc, path.slice(0, depth - 1), false);
    const step = path[depth - 1]!;
    const table = parent?.[step];
    if (!isTable(table) || Object.keys(table).length > 0) return;
    delete parent![step];
  }
}

const REFERENCE = /\$\{[^}]*\}/;

/** What a key Artikey wrote reads after unconfigure, from what it read before (undefined: gone). */
function restored(before: unknown, secret: boolean): unknown {
  if (typeof before !== 'string') return before;
  if (REFERENCE.test(before)) return before;
  return secret ? undefined : withoutUserInfo(before);
}

const BUN_REFERENCE = /^\$[A-Za-z_][A-Za-z0-9_]*$/;

/** Where each kind writes: the table, Artikey's keys (secret or not) and their values. */
function placeOf(
  spec: TargetSpec,
  token: string,
): { path: Path; keys: Record<string, { value: unknown; secret: boolean }> } | null {
  switch (spec.kind) {
    case 'cargo':
      return {
        path: ['registries', spec.registryName],
        keys: { token: { value: `Bearer ${token}`, secret: true } },
      };
    case 'cargo-registry':
      return {
        path: ['registries', spec.registryName],
        keys: {
          index: { value: spec.indexUrl, secret: false },
          'credential-provider': { value: 'cargo:token', secret: false },
        },
      };
    case 'poetry-auth':
      return {
        path: ['http-basic', spec.name],
        keys: {
          username: { value: USERNAME, secret: false },
          password: { value: token, secret: true },
        },
      };
    case 'poetry-repository':
      return {
        path: ['repositories', spec.name],
        keys: { url: { value: spec.url, secret: false } },
      };
    default:
      return null;
  }
}

export interface KindModel {
  /** The reading after configure with `token`. */
  configured(before: Doc, token: string): Doc;
  /** The reading after unconfigure. */
  removed(before: Doc): Doc;
  /** The writer refuses this file (Bun's `$VAR` token, left alone without --replace-references). */
  refuses(before: Doc): boolean;
  /** Where the token is, as the reader reads it, and the whole value there. */
  tokenAt(token: string): { path: Path; value: string } | null;
}

/**
 * Whether a name on the way to the table at `path` holds another kind of value (`u = ""` where
 * `[registries.u]` goes; with `list`, the last name holds no list of tables): the writer refuses.
 */
function blocked(before: Doc, path: Path, list = false): boolean {
  let value: unknown = before;
  for (const [i, name] of path.entries()) {
    value = (value as Doc)[name];
    if (value === undefined) return false;
    if (list && i === path.length - 1 ? !Array.isArray(value) : !isTable(value)) return true;
  }
  return false;
}

export function modelOf(spec: TargetSpec): KindModel {
  if (spec.kind === 'bun') return bunModel(spec);
  if (spec.kind === 'uv') return uvModel(spec);
  const place = (token: string) => placeOf(spec, token)!;
  return {
    configured(before, token) {
      const doc = clone(before);
      const { path, keys } = place(token);
      const table = tableAt(doc, path, true)!;
      for (const [key, { value }] of Object.entries(keys)) table[key] = value;
      return doc;
    },
    removed(before) {
      const doc = clone(before);
      const { path, keys } = place('');
      const table = tableAt(doc, path, false);
      if (table === undefined) return doc;
      const had = Object.keys(table).length;
      for (const [key, { secret }] of Object.entries(keys)) {
        const value = restored(table[key], secret);
        if (value === undefined) delete table[key];
        else table[key] = value;
      }
      // A table left empty by a secret's going is no more when dotted keys alone made it, and
      // stays (empty) under the person's own `[header]`, at any level of its path (`[registries]`
      // then `a.token = …` keeps `registries` alone): the reading cannot tell, so any of them.
      if (had > 0 && Object.keys(table).length === 0) {
        const pruned = path.map((_, i) => {
          const alternative = clone(doc);
          pruneEmpty(alternative, path, i + 1);
          return alternative;
        });
        return { ...doc, [EITHER]: pruned };
      }
      return doc;
    },
    refuses: (before) => blocked(before, place('').path),
    tokenAt(token) {
      const { path, keys } = place(token);
      const secret = Object.entries(keys).find(([, k]) => k.secret);
      return secret ? { path: [...path, secret[0]], value: secret[1].value as string } : null;
    },
  };
}

function bunModel(spec: Extract<TargetSpec, { kind: 'bun' }>): KindModel {
  const path: Path = spec.scope === null ? ['install'] : ['install', 'scopes'];
  const key = spec.scope ?? 'registry';
  return {
    configured(before, token) {
      const doc = clone(before);
      tableAt(doc, path, true)![key] = { url: spec.registryUrl, token };
      return doc;
    },
    removed(before) {
      const doc = clone(before);
      const table = tableAt(doc, path, false);
      if (table === undefined || table[key] === undefined) return doc;
      const value = table[key];
      if (typeof value === 'string') {
        table[key] = withoutUserInfo(value);
        return doc;
      }
      // A table: kept as it was when its secrets are all `$VAR`s and its URL has none; else
      // its URL alone (no password), or nothing when it has no URL.
      const entry = isTable(value) ? value : {};
      const secrets = ['token', 'password'].map((k) => entry[k]).filter((v) => v !== undefined);
      const plain = secrets.some((s) => typeof s !== 'string' || !BUN_REFERENCE.test(s.trim()));
      const url = entry['url'];
      if (typeof url !== 'string') {
        if (plain) delete table[key];
        return doc;
      }
      const bare = withoutUserInfo(url);
      if (plain || bare !== url) table[key] = bare;
      return doc;
    },
    refuses(before) {
      if (blocked(before, path)) return true;
      const value = tableAt(clone(before), path, false)?.[key];
      const token = isTable(value) ? value['token'] : undefined;
      return typeof token === 'string' && BUN_REFERENCE.test(token.trim());
    },
    tokenAt: (token) => ({ path: [...path, key, 'token'], value: token }),
  };
}

function uvModel(spec: Extract<TargetSpec, { kind: 'uv' }>): KindModel {
  const keys = spec.setDefault ? ['url', 'default'] : ['url'];
  const find = (doc: Doc): Doc | undefined => {
    const list = doc['index'];
    return Array.isArray(list)
      ? (list.find((e) => isTable(e) && e['name'] === spec.name) as Doc | undefined)
      : undefined;
  };
  return {
    configured(before) {
      const doc = clone(before);
      const element = find(doc);
      const values: Doc = { url: spec.url, default: true };
      if (element) for (const k of keys) element[k] = values[k];
      else {
        const list = (doc['index'] ??= []) as Doc[];
        list.push({ name: spec.name, ...Object.fromEntries(keys.map((k) => [k, values[k]])) });
      }
      return doc;
    },
    removed(before) {
      const doc = clone(before);
      const element = find(doc);
      if (element)
        for (const k of keys) {
          const value = restored(element[k], false);
          if (value === undefined) delete element[k];
          else element[k] = value;
        }
      return doc;
    },
    refuses: (before) => blocked(before, ['index'], true),
    tokenAt: () => null,
  };
}

/** Every string in the reading containing `needle`, with its path. */
export function stringsWith(
  doc: unknown,
  needle: string,
  path: Path = [],
): { path: Path; value: string }[] {
  if (typeof doc === 'string') return doc.includes(needle) ? [{ path, value: doc }] : [];
  if (Array.isArray(doc)) return doc.flatMap((v, i) => stringsWith(v, needle, [...path, i]));
  if (isTable(doc))
    return Object.entries(doc).flatMap(([k, v]) =>
      k.includes(needle)
        ? [{ path: [...path, k], value: '<key>' }]
        : stringsWith(v, needle, [...path, k]),
    );
  return [];
}
