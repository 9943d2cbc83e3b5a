import { requireSafeValues } from './safe-values.js';
import { ToolFileError } from './tool-file.js';
import {
  appendChild,
  child,
  childElements,
  cut,
  escapeXml,
  indentOf,
  indentUnit,
  lineAt,
  parseXml,
  parseXmlWithRoot,
  textOf,
  type XmlDocument,
  type XmlElement,
} from './xml-document.js';

/**
 * Maven's `settings.xml`: a `<server>` with the username and token (and optionally a `<mirror>`
 * with the same id), spliced into the file so comments, namespaces, order and formatting stay.
 */
export interface MavenServer {
  id: string;
  username: string;
  password: string;
}

export interface MavenMirror {
  id: string;
  url: string;
  mirrorOf: string;
  name?: string;
}

export interface MavenSettingsChange {
  server?: MavenServer;
  mirror?: MavenMirror;
  removeServer?: string;
  removeMirror?: string;
  /** Fields of an entry given back as `entryFieldsText` read them; null takes the field out. */
  putBack?: EntryFields[];
  /** Overwrite a `${…}` reference or a `{…}` Maven-encrypted value; otherwise refused. */
  replaceReferences?: boolean;
  /** Return '' when nothing but an empty <settings> is left (the caller created the file). */
  dropEmptyDocument?: boolean;
  /**
   * `emptyElementsText` of the file before Artikey's first write: a root or container it names
   * that removal leaves holding nothing goes back to what it was, instead of being taken out.
   */
  emptyAsWritten?: Record<string, string>;
}

export interface MavenSettingsView {
  servers: {
    id: string;
    username: string | null;
    password: string | null;
    headers: Record<string, string>;
    line: number;
    /** Where the secret itself is: the `<password>`, and each header's `<value>`. */
    passwordLine: number | null;
    headerLines: Record<string, number>;
  }[];
  mirrors: { id: string; url: string | null; mirrorOf: string | null; line: number }[];
  /** Every profile's `<repository>` and `<pluginRepository>`: a `<server>` of its id logs in to its URL. */
  repositories: { id: string; url: string | null; line: number }[];
}

/** Fields of the `<server>` or `<mirror>` of this id, as the file spells their text (null: absent). */
export interface EntryFields {
  entry: 'server' | 'mirror';
  id: string;
  fields: Record<string, string | null>;
}

const WHAT = 'Maven settings.xml';

/** Maven's schema orders the children of <settings>; new containers go where it says. */
const ORDER = [
  'localRepository',
  'interactiveMode',
  'usePluginRegistry',
  'offline',
  'pluginGroups',
  'servers',
  'mirrors',
  'proxies',
  'profiles',
  'activeProfiles',
];

const NEW_FILE =
  '<?xml version="1.0" encoding="UTF-8"?>\n' +
  '<settings xmlns="http://maven.apache.org/SETTINGS/1.2.0" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" xsi:schemaLocation="http://maven.apache.org/SETTINGS/1.2.0 https://maven.apache.org/xsd/settings-1.2.0.xsd">\n' +
  '</settings>\n';

export function readMavenSettings(text: string): MavenSettingsView {
  const { root } = load(text);
  const entries = (container: string, local: string): XmlElement[] => {
    const found = child(root, container);
    return found ? childElements(found).filter((e) => e.local === local) : [];
  };
  const servers = entries('servers', 'server').map((server) => {
    const headers: Record<string, string> = {};
    const headerLines: Record<string, number> = {};
    const httpHeaders = child(child(server, 'configuration') ?? server, 'httpHeaders');
    for (const property of httpHeaders
      ? childElements(httpHeaders).filter((p) => p.local === 'property')
      : []) {
      const name = child(property, 'name');
      if (!name) continue;
      const value = child(property, 'value') ?? name;
      headers[mavenTrim(textOf(name))] = mavenTrim(textOf(value));
      headerLines[mavenTrim(textOf(name))] = lineAt(text, value.start);
    }
    const password = child(server, 'password');
    return {
      id: valueOf(server, 'id') ?? '',
      username: valueOf(server, 'username'),
      password: password ? mavenTrim(textOf(password)) : null,
      headers,
      line: lineAt(text, server.start),
      passwordLine: password ? lineAt(text, password.start) : null,
      headerLines,
    };
  });
  const mirrors = entries('mirrors', 'mirror').map((mirror) => ({
    id: valueOf(mirror, 'id') ?? '',
    url: valueOf(mirror, 'url'),
    mirrorOf: valueOf(mirror, 'mirrorOf'),
    line: lineAt(text, mirror.start),
  }));
  const repositories = entries('profiles', 'profile').flatMap((profile) =>
    (
      [
        ['repositories', 'repository'],
        ['pluginRepositories', 'pluginRepository'],
      ] as const
    ).flatMap(([container, local]) => {
      const found = child(profile, container);
      return (found ? childElements(found).filter((e) => e.local === local) : []).map(
        (repository) => ({
          id: valueOf(repository, 'id') ?? '',
          url: valueOf(repository, 'url'),
          line: lineAt(text, repository.start),
        }),
      );
    }),
  );
  return { servers, mirrors, repositories };
}

export function editMavenSettings(text: string | null, change: MavenSettingsChange): string {
  // Text is escaped for XML; only control characters, which XML 1.0 cannot hold, are refused.
  requireSafeValues('settings.xml', [
    ['server id', change.server?.id ?? ''],
    ['user name', change.server?.username ?? ''],
    ['token', change.server?.password ?? ''],
    ['mirror id', change.mirror?.id ?? ''],
    ['mirror URL', change.mirror?.url ?? ''],
    ['mirrorOf', change.mirror?.mirrorOf ?? ''],
    ['mirror name', change.mirror?.name ?? ''],
  ]);
  let result = text ?? NEW_FILE;
  load(result);
  if (change.server) {
    const { id, username, password } = change.server;
    result = upsert(
      result,
      'servers',
      'server',
      id,
      [
        ['username', username],
        ['password', password],
      ],
      change.replaceReferences ?? false,
    );
  }
  if (change.mirror) {
    const { id, url, mirrorOf, name } = change.mirror;
    result = upsert(
      result,
      'mirrors',
      'mirror',
      id,
      [
        ...(name === undefined ? [] : ([['name', name]] as [string, string][])),
        ['url', url],
        ['mirrorOf', mirrorOf],
      ],
      true,
    );
  }
  for (const entry of change.putBack ?? []) result = putBack(result, entry);
  const asWritten = change.emptyAsWritten ?? {};
  if (change.removeServer !== undefined)
    result = removeEntry(result, 'servers', 'server', change.removeServer, asWritten['servers']);
  if (change.removeMirror !== undefined)
    result = removeEntry(result, 'mirrors', 'mirror', change.removeMirror, asWritten['mirrors']);
  const emptyRoot = asWritten['settings'];
  if (emptyRoot !== undefined && result !== text) {
    const { root } = load(result);
    if (holdsNothing(root)) result = replaceEmpty(result, root, emptyRoot);
  }
  if (change.dropEmptyDocument) {
    const { root } = load(result);
    const outside =
      result.slice(0, root.start).replace(/^<\?xml[^>]*\?>/, '') + result.slice(root.end);
    if (
      outside.trim() === '' &&
      root.children.every((c) => c.kind === 'text' && c.value.trim() === '')
    )
      return '';
  }
  return text === null && result === NEW_FILE ? '' : result;
}

const load = (text: string): XmlDocument => parseXmlWithRoot(text, WHAT, 'settings');

/**
 * A value as Maven reads it: its reader trims as Java's `String.trim()` does, U+0000 to U+0020
 * only. JavaScript's trim also takes a no-break space, U+2028 or a BOM off, which made an id like
 * "corp\u00a0" (another server to Maven) read as "corp".
 */
export const mavenTrim = (text: string): string => text.replace(/^[\0- ]+|[\0- ]+$/g, '');

function valueOf(element: XmlElement, local: string): string | null {
  const found = child(element, local);
  return found ? mavenTrim(textOf(found)) : null;
}

/** Only XML white space (what an element that holds nothing has between its tags). */
const holdsNothing = (element: XmlElement): boolean =>
  element.children.every((c) => c.kind === 'text' && /^[ \t\r\n]*$/.test(c.value));

/**
 * The root and the `<servers>`/`<mirrors>` containers of `text` that hold nothing, as written
 * (`<servers/>`, `<mirrors>\n  </mirrors>`): what removal must give back once Artikey's entries
 * in them are gone, instead of taking out an element the person wrote.
 */
export function emptyElementsText(text: string): Record<string, string> {
  const { root } = load(text);
  const found: Record<string, string> = {};
  const note = (name: string, element: XmlElement | undefined): void => {
    if (element && holdsNothing(element)) found[name] = text.slice(element.start, element.end);
  };
  note('settings', root);
  note('servers', child(root, 'servers'));
  note('mirrors', child(root, 'mirrors'));
  return found;
}

const prefixOf = (root: XmlElement): string =>
  root.name.includes(':') ? `${root.name.split(':')[0]}:` : '';

/** Adds or updates `<container><entry><id>id</id>…fields</entry></container>`. */
function upsert(
  text: string,
  containerName: string,
  entryName: string,
  id: string,
  fields: [string, string][],
  replaceReferences: boolean,
): string {
  const { root } = load(text);
  const p = prefixOf(root);
  const eol = text.includes('\r\n') ? '\r\n' : '\n';
  const unit = indentUnit(text, root);
  const container = child(root, containerName);
  const entry = container
    ? childElements(container).find((e) => e.local === entryName && valueOf(e, 'id') === id)
    : undefined;
  if (!entry) {
    const depth = container ? indentOf(text, container) + unit : indentOf(text, root) + unit + unit;
    const inner = [`${p}id`, ...fields.map(([name]) => `${p}${name}`)].map(
      (name, i) =>
        `${depth}${unit}<${name}>${escapeXml(i === 0 ? id : fields[i - 1]![1])}</${name}>`,
    );
    const block = `<${p}${entryName}>${eol}${inner.join(eol)}${eol}${depth}</${p}${entryName}>`;
    if (container) return appendChild(text, container, block, depth, eol);
    const containerIndent = indentOf(text, root) + unit;
    const wrapped = `<${p}${containerName}>${eol}${depth}${block}${eol}${containerIndent}</${p}${containerName}>`;
    return insertContainer(text, root, containerName, wrapped, containerIndent, eol);
  }
  // Splice from the last field backwards so earlier positions stay valid.
  const splices: { at: number; remove: number; insert: string }[] = [];
  const entryIndent = indentOf(text, entry) + unit;
  let after = child(entry, 'id')!;
  for (const [name, value] of fields) {
    const existing = child(entry, name);
    if (existing) {
      const current = mavenTrim(textOf(existing));
      if (!replaceReferences && (/\$\{[^}]*\}/.test(current) || /^\{.*\}$/.test(current))) {
        throw new ToolFileError(
          'tool-file-conflict',
          `<${name}> of ${entryName} "${id}" (line ${lineAt(text, existing.start)}) is a \${…} reference or an encrypted value; Artikey left it alone. Choose another id, or allow replacing it (--replace-references).`,
        );
      }
      if (current !== value || existing.selfClosing) {
        splices.push(
          existing.selfClosing
            ? {
                at: existing.start,
                remove: existing.end - existing.start,
                insert: `<${existing.name}>${escapeXml(value)}</${existing.name}>`,
              }
            : {
                at: existing.openEnd,
                remove: existing.closeStart - existing.openEnd,
                insert: escapeXml(value),
              },
        );
      }
      after = existing;
    } else {
      splices.push({
        at: after.end,
        remove: 0,
        insert: `${eol}${entryIndent}<${p}${name}>${escapeXml(value)}</${p}${name}>`,
      });
    }
  }
  let result = text;
  for (const splice of splices.sort((a, b) => b.at - a.at))
    result = result.slice(0, splice.at) + splice.insert + result.slice(splice.at + splice.remove);
  return result;
}

/**
 * The text of the named fields of the `<server>` or `<mirror>` with this id exactly as the file
 * has it (entities, CDATA and whitespace included; null for a field it lacks), or null when
 * there is no such entry: what an edit of those fields must put back.
 */
export function entryFieldsText(
  text: string,
  entry: EntryFields['entry'],
  id: string,
  names: string[],
): EntryFields | null {
  const found = findEntry(load(text).root, entry, id);
  if (!found) return null;
  const fields: Record<string, string | null> = {};
  for (const name of names) {
    const field = child(found, name);
    fields[name] = field ? text.slice(field.openEnd, field.closeStart) : null;
  }
  return { entry, id, fields };
}

function putBack(text: string, { entry, id, fields }: EntryFields): string {
  let result = text;
  for (const [name, raw] of Object.entries(fields)) {
    if (raw !== null) requireText(name, raw);
    const found = findEntry(load(result).root, entry, id);
    if (!found) return result;
    const field = child(found, name);
    if (raw === null) {
      if (field) result = cut(result, field);
    } else if (field) {
      result = field.selfClosing
        ? `${result.slice(0, field.start)}<${field.name}>${raw}</${field.name}>${result.slice(field.end)}`
        : result.slice(0, field.openEnd) + raw + result.slice(field.closeStart);
    } else {
      const p = prefixOf(load(result).root);
      const after = child(found, 'id') ?? found;
      const indent = indentOf(result, after);
      const eol = result.includes('\r\n') ? '\r\n' : '\n';
      result = `${result.slice(0, after.end)}${eol}${indent}<${p}${name}>${raw}</${p}${name}>${result.slice(after.end)}`;
    }
  }
  return result;
}

/** Text put back comes from the state file, not from the person: it must be an element's text and nothing more. */
function requireText(name: string, raw: string): void {
  const { root } = parseXml(`<${name}>${raw}</${name}>`, WHAT);
  if (root.children.some((c) => c.kind === 'element'))
    throw new ToolFileError(
      'tool-file-invalid',
      `The value Artikey kept to put back for <${name}> is not text; Artikey left the file untouched.`,
    );
}

const findEntry = (
  root: XmlElement,
  entry: EntryFields['entry'],
  id: string,
): XmlElement | undefined => {
  const container = child(root, `${entry}s`);
  return container
    ? childElements(container).find((e) => e.local === entry && valueOf(e, 'id') === id)
    : undefined;
};

function removeEntry(
  text: string,
  containerName: string,
  entryName: string,
  id: string,
  asWritten: string | undefined,
): string {
  const { root } = load(text);
  const container = child(root, containerName);
  const entry = container
    ? childElements(container).find((e) => e.local === entryName && valueOf(e, 'id') === id)
    : undefined;
  if (!container || !entry) return text;
  const result = cut(text, entry);
  const after = child(load(result).root, containerName)!;
  if (!holdsNothing(after)) return result;
  return asWritten === undefined ? cut(result, after) : replaceEmpty(result, after, asWritten);
}

/** `element`, which holds nothing, as `raw` spells it; raw comes from the state file, so it must be that element, empty. */
function replaceEmpty(text: string, element: XmlElement, raw: string): string {
  let given: XmlElement | null = null;
  try {
    given = parseXml(raw, WHAT).root;
  } catch {
    given = null;
  }
  if (
    given === null ||
    given.start !== 0 ||
    given.end !== raw.length ||
    given.name !== element.name ||
    !holdsNothing(given)
  )
    throw new ToolFileError(
      'tool-file-invalid',
      `The empty <${element.name}> Artikey kept to put back is not one; Artikey left the file untouched.`,
    );
  return text.slice(0, element.start) + raw + text.slice(element.end);
}

function insertContainer(
  text: string,
  root: XmlElement,
  name: string,
  block: string,
  indent: string,
  eol: string,
): string {
  const rank = ORDER.indexOf(name);
  const next = childElements(root).find((e) => ORDER.indexOf(e.local) > rank);
  if (!next) return appendChild(text, root, block, indent, eol);
  const before = text.slice(0, next.start);
  const space = /(\r\n|\r|\n)[ \t]*$/.exec(before);
  if (!space) return `${before}${block}${text.slice(next.start)}`;
  const at = next.start - space[0].length;
  return `${text.slice(0, at)}${eol}${indent}${block}${text.slice(at)}`;
}
