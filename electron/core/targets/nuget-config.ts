import { ToolFileError } from './tool-file.js';
import {
  appendChild,
  attributesOf,
  childElements,
  cut,
  escapeXml,
  indentOf,
  indentUnit,
  lineAt,
  parseXml,
  parseXmlWithRoot,
  type XmlDocument,
  type XmlElement,
} from './xml-document.js';

/**
 * NuGet's `NuGet.Config`: a package source (`<packageSources><add key value protocolVersion/>`)
 * and its credentials (`<packageSourceCredentials><NAME><add key="Username"/><add
 * key="ClearTextPassword"/></NAME>`), spliced into the file so comments, attribute order, line
 * ends and every other setting stay byte for byte. Source names and credential keys are compared
 * as NuGet compares them, ignoring case.
 */

const WHAT = 'NuGet.Config';
const SOURCES = 'packageSources';
const CREDENTIALS = 'packageSourceCredentials';
/** The two credential entries Artikey writes; `Password` is NuGet's encrypted form (Windows DPAPI). */
export const CREDENTIAL_KEYS = ['Username', 'ClearTextPassword'] as const;
export type CredentialKey = (typeof CREDENTIAL_KEYS)[number];
const ENCRYPTED_PASSWORD = 'Password';

/**
 * What NuGet writes the first time it runs without a user configuration, and so what
 * `dotnet nuget add source` adds to: a file Artikey creates starts from it, or nuget.org, which
 * NuGet offers only while no user file exists, would be gone.
 */
export const NEW_NUGET_CONFIG =
  '<?xml version="1.0" encoding="utf-8"?>\n' +
  '<configuration>\n' +
  '  <packageSources>\n' +
  '    <add key="nuget.org" value="https://api.nuget.org/v3/index.json" protocolVersion="3" />\n' +
  '  </packageSources>\n' +
  '</configuration>\n';

export interface NuGetSource {
  name: string;
  url: string;
  /** `protocolVersion` as the file has it, null when absent. */
  protocolVersion: string | null;
  line: number;
}

export interface NuGetSecret {
  value: string;
  line: number;
}

export interface NuGetSourceCredentials {
  /** The source name, decoded from the element name. */
  name: string;
  line: number;
  username: string | null;
  clearTextPassword: NuGetSecret | null;
  /** NuGet's encrypted `Password`: present, never readable here. */
  password: NuGetSecret | null;
}

export interface NuGetConfigView {
  sources: NuGetSource[];
  credentials: NuGetSourceCredentials[];
}

/** ASCII letters, `_` first; letters, digits, `.`, `-`, `_` after: what an XML local name holds as it is. */
const plainAt = (char: string, first: boolean): boolean =>
  first ? /^[A-Za-z_]$/.test(char) : /^[A-Za-z0-9._-]$/.test(char);
/** What .NET's XmlConvert reads as an escape: an `_` starting one is escaped itself. */
const ESCAPE = /^_[Xx]([0-9A-Fa-f]{4}|[0-9A-Fa-f]{8})_/;

/**
 * A source name as NuGet spells its element under `<packageSourceCredentials>`: .NET's
 * `XmlConvert.EncodeLocalName`, each character an XML name cannot hold there as `_xHHHH_`
 * (`My Feed` → `My_x0020_Feed`), an `_` that would read as such an escape as `_x005F_`. Source
 * names are printable ASCII (see `sourceNameProblem`), where this and .NET agree.
 */
export function encodeSourceName(name: string): string {
  return [...name]
    .map((char, i) => {
      if (char === '_' && ESCAPE.test(name.slice(i))) return '_x005F_';
      if (plainAt(char, i === 0)) return char;
      return `_x${char.codePointAt(0)!.toString(16).toUpperCase().padStart(4, '0')}_`;
    })
    .join('');
}

/** The source name an element under `<packageSourceCredentials>` stands for (`XmlConvert.DecodeName`). */
export const decodeSourceName = (element: string): string =>
  element.replace(/_[Xx]([0-9A-Fa-f]{8}|[0-9A-Fa-f]{4})_/g, (_whole, hex: string) =>
    String.fromCodePoint(Number.parseInt(hex, 16)),
  );

/** Why NuGet could not take `name` as a source name Artikey writes, or null. */
export function sourceNameProblem(name: string): string | null {
  if (name === '') return 'it is empty';
  if (name !== name.trim()) return 'it starts or ends with a space';
  if (!/^[\x20-\x7E]+$/.test(name)) return 'use printable ASCII characters only';
  return null;
}

const same = (a: string, b: string): boolean => a.toLowerCase() === b.toLowerCase();

const load = (text: string): XmlDocument => parseXmlWithRoot(text, WHAT, 'configuration');

const container = (root: XmlElement, name: string): XmlElement | undefined =>
  childElements(root).find((e) => e.name === name);

const attribute = (text: string, element: XmlElement, name: string): string | null =>
  attributesOf(text, element).find((a) => a.name === name)?.value ?? null;

/** The `<add key="…">` children of an element, with their keys. */
const addsOf = (text: string, parent: XmlElement): { key: string; element: XmlElement }[] =>
  childElements(parent)
    .filter((e) => e.name === 'add')
    .map((element) => ({ key: attribute(text, element, 'key') ?? '', element }));

/**
 * The items of a section NuGet reads: those after its last `<clear />`, which drops the ones
 * before it (SettingFactory.ParseChildren). An entry before it is not the source NuGet uses, so
 * Artikey neither updates nor removes it, and writes its own after it.
 */
const effective = (section: XmlElement): XmlElement[] => {
  const children = childElements(section);
  const clear = children.findLastIndex((e) => same(e.local, 'clear'));
  return children.slice(clear + 1);
};

function sourceElement(text: string, root: XmlElement, name: string): XmlElement | undefined {
  const sources = container(root, SOURCES);
  return (
    sources &&
    effective(sources).find((e) => e.name === 'add' && same(attribute(text, e, 'key') ?? '', name))
  );
}

/**
 * Credentials of `name` before the section's `<clear />`: NuGet counts items of the same name
 * once, the first (SettingFactory.ParseChildren), then the clear drops it, so none of that name
 * is read at all.
 */
function droppedCredentials(root: XmlElement, name: string): XmlElement | undefined {
  const credentials = container(root, CREDENTIALS);
  if (!credentials) return undefined;
  const kept = new Set(effective(credentials));
  return childElements(credentials).find(
    (e) => !kept.has(e) && !same(e.local, 'clear') && same(decodeSourceName(e.name), name),
  );
}

function credentialsElement(root: XmlElement, name: string): XmlElement | undefined {
  const credentials = container(root, CREDENTIALS);
  return credentials && effective(credentials).find((e) => same(decodeSourceName(e.name), name));
}

export function readNuGetConfig(text: string): NuGetConfigView {
  const { root } = load(text);
  const sourcesElement = container(root, SOURCES);
  const sources = (sourcesElement ? addsOf(text, sourcesElement) : []).map(({ key, element }) => ({
    name: key,
    url: attribute(text, element, 'value') ?? '',
    protocolVersion: attribute(text, element, 'protocolVersion'),
    line: lineAt(text, element.start),
  }));
  const credentialsContainer = container(root, CREDENTIALS);
  const credentials = (credentialsContainer ? childElements(credentialsContainer) : []).map(
    (element) => {
      const entry = (key: string): NuGetSecret | null => {
        const add = addsOf(text, element).find((a) => same(a.key, key));
        return add
          ? {
              value: attribute(text, add.element, 'value') ?? '',
              line: lineAt(text, add.element.start),
            }
          : null;
      };
      return {
        name: decodeSourceName(element.name),
        line: lineAt(text, element.start),
        username: entry('Username')?.value ?? null,
        clearTextPassword: entry('ClearTextPassword'),
        password: entry(ENCRYPTED_PASSWORD),
      };
    },
  );
  return { sources, credentials };
}

/** NuGet reads `%NAME%` in a value from the environment (NuGet 3.4 and later). */
export const isNuGetReference = (value: string): boolean => /%[^%\s]+%/.test(value);

/**
 * What an entry's removal must give back, as the file has it: the source's `<add …/>` element,
 * and each credential entry Artikey replaces (`null`: the source or its credentials are not there).
 * The credentials' `ClearTextPassword` is kept only when it is a `%VAR%` reference: a password is
 * what the person moves away from, and Artikey never keeps one.
 */
export interface NuGetOriginal {
  source: string | null;
  credentials: Partial<Record<CredentialKey, string>> | null;
  /** The source's credentials element when it held no entry (`<Feed />`), as it was. */
  emptyCredentials: string | null;
  /** A container that held no entry, as it was (`<packageSourceCredentials />`); null when absent. */
  emptyContainers: Partial<Record<typeof SOURCES | typeof CREDENTIALS, string>>;
  /**
   * The credentials held a password Artikey does not keep (a plain ClearTextPassword, an
   * encrypted Password): removal then takes the credentials element out whole, as NuGet refuses
   * one with a Username and no password, and would read no source at all.
   */
  passwordDropped: boolean;
}

export function originalOf(text: string, name: string): NuGetOriginal {
  const { root } = load(text);
  const raw = (element: XmlElement): string => text.slice(element.start, element.end);
  const source = sourceElement(text, root, name);
  const credentials = credentialsElement(root, name);
  let kept: Partial<Record<CredentialKey, string>> | null = null;
  let passwordDropped = false;
  if (credentials) {
    kept = {};
    for (const { key, element } of addsOf(text, credentials)) {
      const known = CREDENTIAL_KEYS.find((k) => same(k, key));
      if (known === 'Username' && kept.Username === undefined) kept.Username = raw(element);
      if (
        known === 'ClearTextPassword' &&
        isNuGetReference(attribute(text, element, 'value') ?? '')
      )
        kept.ClearTextPassword = raw(element);
      else if (known === 'ClearTextPassword' || same(key, ENCRYPTED_PASSWORD))
        passwordDropped = true;
    }
  }
  const emptyContainers: NuGetOriginal['emptyContainers'] = {};
  for (const name of [SOURCES, CREDENTIALS] as const) {
    const found = container(root, name);
    if (found && childElements(found).length === 0) emptyContainers[name] = raw(found);
  }
  return {
    source: source ? raw(source) : null,
    credentials: kept,
    emptyCredentials:
      credentials && childElements(credentials).length === 0 ? raw(credentials) : null,
    emptyContainers,
    passwordDropped,
  };
}

export interface NuGetEntry {
  name: string;
  url: string;
  /** `"3"` for a v3 service index; null leaves NuGet to take the URL as a v2 feed. */
  protocolVersion: '3' | null;
  username: string;
  password: string;
}

/** The file with the source and its credentials set; a `%VAR%` password is refused unless `replaceReferences`. */
export function setNuGetEntry(
  text: string | null,
  entry: NuGetEntry,
  replaceReferences: boolean,
): string {
  return setCredentials(setSource(text ?? NEW_NUGET_CONFIG, entry), entry, replaceReferences);
}

function setSource(text: string, { name, url, protocolVersion }: NuGetEntry): string {
  const { root } = load(text);
  const found = sourceElement(text, root, name);
  if (!found) {
    const version = protocolVersion === null ? '' : ` protocolVersion="${protocolVersion}"`;
    return appendTo(
      text,
      SOURCES,
      `<add key="${escapeXml(name)}" value="${escapeXml(url)}"${version} />`,
    );
  }
  const attributes = attributesOf(text, found);
  const value = attributes.find((a) => a.name === 'value');
  const version = attributes.find((a) => a.name === 'protocolVersion');
  // From the last splice to the first, so earlier positions stay valid.
  const splices: { at: number; remove: number; insert: string }[] = [];
  if (version && protocolVersion === null && version.value.trim() === '3')
    splices.push({ at: version.start, remove: version.end - version.start, insert: '' });
  if (version && protocolVersion !== null && version.value !== protocolVersion)
    splices.push({
      at: version.valueStart,
      remove: version.valueEnd - version.valueStart,
      insert: protocolVersion,
    });
  if (!version && protocolVersion !== null) {
    const after = attributes.at(-1)?.end ?? found.start + 1 + found.name.length;
    splices.push({ at: after, remove: 0, insert: ` protocolVersion="${protocolVersion}"` });
  }
  if (value && value.value !== url)
    splices.push({
      at: value.valueStart,
      remove: value.valueEnd - value.valueStart,
      insert: escapeXml(url),
    });
  if (!value) {
    const key = attributes.find((a) => a.name === 'key')!;
    splices.push({ at: key.end, remove: 0, insert: ` value="${escapeXml(url)}"` });
  }
  return splice(text, splices);
}

function setCredentials(
  text: string,
  { name, username, password }: NuGetEntry,
  replaceReferences: boolean,
): string {
  const { root } = load(text);
  const found = credentialsElement(root, name);
  const dropped = droppedCredentials(root, name);
  if (!found && dropped)
    throw new ToolFileError(
      'tool-file-conflict',
      `NuGet.Config has credentials for "${name}" before a <clear /> (line ${lineAt(text, dropped.start)}): NuGet reads neither them nor any written for that source after them. Artikey left the file untouched; remove them, or choose another --name.`,
    );
  const entry = (key: string, value: string): string =>
    `<add key="${key}" value="${escapeXml(value)}" />`;
  if (!found) {
    const parent = container(root, CREDENTIALS);
    const unit = indentUnit(text, root);
    const depth = (parent ? indentOf(text, parent) : indentOf(text, root) + unit) + unit;
    const eol = eolOf(text);
    const element = encodeSourceName(name);
    const block = [
      `<${element}>`,
      `${depth}${unit}${entry('Username', username)}`,
      `${depth}${unit}${entry('ClearTextPassword', password)}`,
      `${depth}</${element}>`,
    ].join(eol);
    return appendTo(text, CREDENTIALS, block);
  }
  const adds = addsOf(text, found);
  const current = adds.find((a) => same(a.key, 'ClearTextPassword'));
  const currentValue = current ? (attribute(text, current.element, 'value') ?? '') : '';
  if (current && !replaceReferences && isNuGetReference(currentValue))
    throw new ToolFileError(
      'tool-file-conflict',
      `The ClearTextPassword of NuGet source "${name}" (line ${lineAt(text, current.element.start)}) reads %…% from the environment; Artikey left it alone. Choose another --name, or allow replacing it (--replace-references).`,
    );
  let result = text;
  // The encrypted Password would stand beside Artikey's ClearTextPassword: it goes (never kept, see NuGetOriginal).
  for (const add of [...adds].reverse())
    if (same(add.key, ENCRYPTED_PASSWORD)) result = cut(result, add.element);
  for (const [key, value] of [
    ['Username', username],
    ['ClearTextPassword', password],
  ] as const) {
    const element = credentialsElement(load(result).root, name)!;
    const existing = addsOf(result, element).find((a) => same(a.key, key));
    if (existing) {
      const attributes = attributesOf(result, existing.element);
      const valueAttribute = attributes.find((a) => a.name === 'value');
      result = valueAttribute
        ? splice(result, [
            {
              at: valueAttribute.valueStart,
              remove: valueAttribute.valueEnd - valueAttribute.valueStart,
              insert: escapeXml(value),
            },
          ])
        : splice(result, [
            { at: attributes.at(-1)!.end, remove: 0, insert: ` value="${escapeXml(value)}"` },
          ]);
    } else {
      const unit = indentUnit(result, load(result).root);
      result = appendChild(
        result,
        element,
        entry(key, value),
        indentOf(result, element) + unit,
        eolOf(result),
      );
    }
  }
  return result;
}

/** The file without Artikey's source and credentials, each given back as `original` noted it. */
export function removeNuGetEntry(text: string, name: string, original: NuGetOriginal): string {
  let result = text;
  const source = sourceElement(result, load(result).root, name);
  if (source)
    result =
      original.source === null ? cut(result, source) : replace(result, source, original.source);
  const credentials = credentialsElement(load(result).root, name);
  if (credentials) {
    if (original.credentials === null) result = cut(result, credentials);
    else
      for (const key of [...CREDENTIAL_KEYS].reverse()) {
        const element = credentialsElement(load(result).root, name)!;
        const add = addsOf(result, element).find((a) => same(a.key, key));
        const kept = original.credentials[key];
        if (add)
          result =
            kept === undefined ? cut(result, add.element) : replace(result, add.element, kept);
      }
    const emptied = credentialsElement(load(result).root, name);
    if (emptied && original.emptyCredentials !== null && childElements(emptied).length === 0)
      result = replace(result, emptied, original.emptyCredentials);
    const left = credentialsElement(load(result).root, name);
    const holdsPassword = (element: XmlElement): boolean =>
      addsOf(result, element).some(
        (add) => same(add.key, 'ClearTextPassword') || same(add.key, ENCRYPTED_PASSWORD),
      );
    if (left && original.passwordDropped && !holdsPassword(left)) result = cut(result, left);
  }
  for (const name of [CREDENTIALS, SOURCES] as const) {
    const found = container(load(result).root, name);
    if (
      !found ||
      childElements(found).length > 0 ||
      // A comment or a PI is the person's (Artikey writes neither): the container stays for it.
      found.children.some((c) => c.kind === 'comment' || c.kind === 'pi')
    )
      continue;
    const raw = original.emptyContainers[name];
    result = raw === undefined ? cut(result, found) : replace(result, found, raw);
  }
  return result;
}

/**
 * `block` (its later lines indented already) as the last child of the root's `name` container,
 * made as the root's last child when missing.
 */
function appendTo(text: string, name: string, block: string): string {
  const { root } = load(text);
  const eol = eolOf(text);
  const unit = indentUnit(text, root);
  const found = container(root, name);
  if (found) return appendChild(text, found, block, indentOf(text, found) + unit, eol);
  const indent = indentOf(text, root) + unit;
  return appendChild(
    text,
    root,
    `<${name}>${eol}${indent}${unit}${block}${eol}${indent}</${name}>`,
    indent,
    eol,
  );
}

const eolOf = (text: string): string => (text.includes('\r\n') ? '\r\n' : '\n');

function replace(text: string, element: XmlElement, raw: string): string {
  requireElement(raw);
  return text.slice(0, element.start) + raw + text.slice(element.end);
}

/** What is put back comes from the state file, not from the person: one element and nothing more. */
function requireElement(raw: string): void {
  const fail = (): never => {
    throw new ToolFileError(
      'tool-file-invalid',
      `The entry Artikey kept to put back into ${WHAT} is not one element; Artikey left the file untouched.`,
    );
  };
  try {
    const { root } = parseXml(raw, WHAT);
    if (root.start !== 0 || root.end !== raw.length) fail();
  } catch {
    fail();
  }
}

function splice(text: string, splices: { at: number; remove: number; insert: string }[]): string {
  let result = text;
  for (const { at, remove, insert } of [...splices].sort((a, b) => b.at - a.at))
    result = result.slice(0, at) + insert + result.slice(at + remove);
  return result;
}
