import { lineAndColumn } from './text-lines.js';
import {
  appendElement,
  insertMembers,
  objectValue,
  parseJsonObject,
  removeElement,
  removeMember,
  replaceValue,
  scanJsonObject,
  type JsonArray,
} from './json-members.js';
import { ToolFileError } from './tool-file.js';

/**
 * A JSON file holding one list of named objects, as Conan's `remotes.json`
 * (`{"remotes": [{"name", "url", "verify_ssl"}]}`) and `credentials.json`
 * (`{"credentials": [{"remote", "user", "password"}]}`) do. Artikey edits one entry, picked by
 * name, splicing the text: the person's other entries, their order and formatting keep their bytes.
 */
export interface NamedListFile {
  /** For messages: "Conan's remotes.json". */
  what: string;
  /** The list member: `remotes`. */
  list: string;
  /** The member naming an entry: `name`. */
  nameField: string;
  /** The text Artikey starts a missing file from (see `leftAsCreated`). */
  created: string;
}

export type NamedEntryField = [key: string, value: string | boolean];

export type NamedEntryChange =
  | { set: string; fields: NamedEntryField[] }
  /**
   * `putBack`: the JSON text of each field of an entry of the same name the person had before
   * Artikey's first write (`entryNotes`); the entry is then given back rather than taken out.
   */
  | { remove: string; putBack?: Record<string, string> };

/** `entryNotes`' mark that the person had an entry of that name. */
export const HAD_ENTRY = 'had entry';

export function editNamedList(
  text: string | null,
  file: NamedListFile,
  change: NamedEntryChange,
): string {
  const entries = readNamedList(text, file);
  const start = text === null || text.trim() === '' ? null : text;
  if ('set' in change) {
    const index = entries.findLastIndex((e) => e[file.nameField] === change.set);
    const fields: NamedEntryField[] = [[file.nameField, change.set], ...change.fields];
    if (index < 0) {
      let edited = start ?? file.created;
      const root = scanJsonObject(edited);
      const member = root.members.findLast((m) => m.key === file.list);
      if (member === undefined) edited = insertMembers(edited, root, [[file.list, () => '[]']]);
      else if (member.array === null) edited = replaceValue(edited, root, member, () => '[]');
      return appendElement(
        edited,
        listOf(edited, file)!,
        objectValue(
          edited,
          fields.map(([key, value]) => [key, () => JSON.stringify(value)]),
        ),
      );
    }
    let edited = start!;
    for (const [key, value] of fields) {
      if (entries[index]![key] === value) continue;
      const entry = listOf(edited, file)!.elements[index]!.object!;
      const member = entry.members.findLast((m) => m.key === key);
      const render = (): string => JSON.stringify(value);
      edited = member
        ? replaceValue(edited, entry, member, render)
        : insertMembers(edited, entry, [[key, render]]);
    }
    return edited;
  }
  if (start === null) return text ?? '';
  const index = entries.findLastIndex((e) => e[file.nameField] === change.remove);
  if (index < 0) return start;
  let edited = start;
  const putBack = change.putBack ?? {};
  if (putBack[HAD_ENTRY] === undefined) {
    const list = listOf(edited, file)!;
    edited = removeElement(edited, list, list.elements[index]!);
    const written = putBack[LIST_AS_WRITTEN];
    if (list.elements.length === 1 && written !== undefined) {
      const root = scanJsonObject(edited);
      const member = root.members.findLast((m) => m.key === file.list)!;
      if (written === '') edited = removeMember(edited, root, member);
      else {
        requireJsonValue(written, file);
        edited = replaceValue(edited, root, member, () => written);
      }
    }
  } else
    for (const key of Object.keys(entries[index]!)) {
      if (key === file.nameField) continue;
      const entry = listOf(edited, file)!.elements[index]!.object!;
      const member = entry.members.findLast((m) => m.key === key)!;
      const previous = putBack[key];
      if (previous === undefined) edited = removeMember(edited, entry, member);
      else if (edited.slice(member.valueStart, member.end) !== previous) {
        requireJsonValue(previous, file);
        edited = replaceValue(edited, entry, member, () => previous);
      }
    }
  return edited;
}

/** `listNotes`' key: the list as the person wrote it (`''`: no list at all). */
export const LIST_AS_WRITTEN = 'list as written';

/**
 * What removal must give back of the list itself when Artikey's entry is its first: the member
 * missing, `null` or an empty list as the person spelt it (Conan reads a missing list, `null` and
 * `[]` alike, but the file's bytes are the person's).
 */
export function listNotes(text: string | null, file: NamedListFile): Record<string, string> {
  if (text === null || text.trim() === '') return {};
  readNamedList(text, file);
  const member = scanJsonObject(text).members.findLast((m) => m.key === file.list);
  if (member === undefined) return { [LIST_AS_WRITTEN]: '' };
  if (member.array === null || member.array.elements.length === 0)
    return { [LIST_AS_WRITTEN]: text.slice(member.valueStart, member.end) };
  return {};
}

/**
 * A file Artikey created goes when removal leaves it as it was created; a file the person had
 * keeps its bytes even when they are the same (Conan reads an empty remotes.json as an error).
 */
export const leftAsCreated = (text: string, file: NamedListFile, createdFile: boolean): string =>
  createdFile && text === file.created ? '' : text;

/**
 * What removal must give back of an entry of `name` the person had: each field's JSON text as
 * the file spells it, except `secrets`, which the state file never holds (removal then takes the
 * entry out, since the tool could not use it without them).
 */
export function entryNotes(
  text: string | null,
  file: NamedListFile,
  name: string,
  secrets: string[] = [],
): Record<string, string> {
  if (text === null || text.trim() === '') return {};
  const index = readNamedList(text, file).findLastIndex((e) => e[file.nameField] === name);
  if (index < 0) return {};
  const entry = listOf(text, file)!.elements[index]!.object!;
  if (entry.members.some((m) => secrets.includes(m.key))) return {};
  const notes: Record<string, string> = { [HAD_ENTRY]: 'yes' };
  for (const member of entry.members)
    if (member.key !== file.nameField)
      notes[member.key] = text.slice(member.valueStart, member.end);
  return notes;
}

/** The entries as the tool reads them; a file whose list is not a list of objects is refused. */
export function readNamedList(text: string | null, file: NamedListFile): Record<string, unknown>[] {
  const root = parseJsonObject(text, file.what);
  const list = root[file.list];
  if (list === undefined || list === null) return [];
  if (
    !Array.isArray(list) ||
    list.some((e) => typeof e !== 'object' || e === null || Array.isArray(e))
  ) {
    const member = scanJsonObject(text!).members.findLast((m) => m.key === file.list)!;
    const element = member.array?.elements.find((e) => e.object === null);
    throw new ToolFileError(
      'tool-file-invalid',
      `${file.list} in ${file.what} is not a list of objects (at ${lineAndColumn(text!, element?.start ?? member.valueStart)}); Artikey left the file untouched.`,
    );
  }
  return list as Record<string, unknown>[];
}

function listOf(text: string, file: NamedListFile): JsonArray | null {
  return scanJsonObject(text).members.findLast((m) => m.key === file.list)?.array ?? null;
}

/** A value put back comes from the state file, not from the person: it must be one JSON value. */
function requireJsonValue(text: string, file: NamedListFile): void {
  try {
    JSON.parse(text);
  } catch {
    throw new ToolFileError(
      'tool-file-invalid',
      `The value Artikey kept to put back is not JSON; Artikey left ${file.what} untouched.`,
    );
  }
}
