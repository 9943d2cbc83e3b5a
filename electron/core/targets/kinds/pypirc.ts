import { join } from 'node:path';
import { editIni, findIniEntry, hasIniSection, sectionNote } from '../ini-file.js';
import { putBack, rememberPrevious } from '../restore-notes.js';
import { BASIC_USER_UNSAFE } from '../safe-values.js';
import { invalidOption, type TargetKindDefinition } from './definition.js';
import type { PypircSpec } from './pypirc-spec.js';

const LIST_SECTION = 'distutils';
const LIST_KEY = 'index-servers';
const ENTRY_KEYS = ['repository', 'username', 'password'];
/**
 * Twine's own list when `[distutils] index-servers` is absent: a list Artikey starts keeps them,
 * so `twine upload -r testpypi` goes on working beside Artikey's section.
 */
const TWINE_DEFAULT_SERVERS = ['pypi', 'testpypi'];
/** A section twine can be pointed at (`-r <name>`) that no other reader of .pypirc means otherwise. */
const SECTION_NAME = /^[A-Za-z0-9][A-Za-z0-9._-]*$/;
const RESERVED_SECTIONS = new Set([LIST_SECTION, 'server-login']);

const serversIn = (value: string): string[] => value.split(/\s+/).filter(Boolean);

/** The section a person asked for, else the instance's name as a section name, else `artikey`. */
function sectionFor(asked: string | undefined, instanceName: string | null): string {
  if (asked !== undefined && asked.trim() !== '') {
    const section = asked.trim();
    if (!SECTION_NAME.test(section) || RESERVED_SECTIONS.has(section.toLowerCase()))
      throw invalidOption(
        `--section "${section}" is not a .pypirc section Artikey can own: use letters, digits, '.', '_' or '-' (not distutils or server-login)`,
      );
    return section;
  }
  const derived = (instanceName ?? '')
    .toLowerCase()
    .replace(/[^a-z0-9._-]+/g, '-')
    .replace(/^[^a-z0-9]+|-+$/g, '');
  return derived === '' || RESERVED_SECTIONS.has(derived) ? 'artikey' : derived;
}

/** `index-servers` with `name` added in the list's own style: a line of its own, or after a space. */
function withServer(raw: string, name: string): string {
  const lines = raw.split(/\r?\n/);
  if (lines.length === 1) return raw.trim() === '' ? name : `${raw} ${name}`;
  const eol = raw.includes('\r\n') ? '\r\n' : '\n';
  const indent = /^[ \t]+/.exec(lines.at(-1)!)?.[0] ?? '    ';
  return `${raw}${eol}${indent}${name}`;
}

/** `index-servers` without `name`: its own line goes, or the word and the space before it. */
function withoutServer(raw: string, name: string): string {
  const eol = raw.includes('\r\n') ? '\r\n' : '\n';
  const [first = '', ...more] = raw.split(/\r?\n/);
  const word = new RegExp(`(^|[ \\t]+)${name.replace(/[.]/g, '\\.')}(?=[ \\t]|$)`, 'g');
  const kept = more.filter((line) => line.trim() !== name).map((line) => line.replace(word, ''));
  return [first.replace(word, '').replace(/^[ \t]+/, ''), ...kept].join(eol);
}

export const pypirc: TargetKindDefinition<PypircSpec> = {
  kind: 'pypirc',
  holdsToken: true,
  needsUsername: true,
  secretFormat: 'ini',
  scanTool: 'pypirc',
  sameEntry: (a, b) => a.section === b.section,
  // Twine's `--config-file` default, `~/.pypirc`, on every platform.
  defaultPath: ({ home }) => join(home, '.pypirc'),
  // Artifactory "Publish to a PyPI Repository": twine posts to the repository URL itself, no /simple.
  fromRequest: ({ options, artifactoryUrl, path, repo, instanceName }) => ({
    kind: 'pypirc',
    path,
    section: sectionFor(options.section, instanceName),
    repositoryUrl: `${artifactoryUrl}api/pypi/${repo('pypi')}`,
  }),
  describe: (spec) =>
    `twine: [${spec.section}] repository ${spec.repositoryUrl} in ${spec.path} (twine upload -r ${spec.section})`,
  checkBelongs: (spec, instance) => instance.sameHost(spec.repositoryUrl),
  // Twine reads .pypirc with RawConfigParser: `%` is no interpolation there, so a token holding one is written as it is.
  fields: (spec, { username, token }) => [
    '.pypirc',
    [
      ['section name', spec.section, /[^A-Za-z0-9._-]/u],
      ['repository URL', spec.repositoryUrl],
      ['user name', username, BASIC_USER_UNSAFE],
      ['token', token],
    ],
  ],
  writer:
    (spec, { username, token }, restore, replaceReferences) =>
    (text) => {
      const list = text === null ? undefined : findIniEntry(text, 'pypirc', LIST_SECTION, LIST_KEY);
      if (restore !== null && text !== null) {
        rememberPrevious(restore, LIST_KEY, list, false);
        for (const section of [LIST_SECTION, spec.section])
          if (hasIniSection(text, 'pypirc', section)) restore[sectionNote(section)] = '';
        for (const key of ENTRY_KEYS)
          rememberPrevious(
            restore,
            key,
            findIniEntry(text, 'pypirc', spec.section, key),
            key === 'password',
          );
      }
      let edited = text;
      if (list === undefined)
        edited = editIni(
          edited,
          {
            section: LIST_SECTION,
            set: { [LIST_KEY]: [...TWINE_DEFAULT_SERVERS, spec.section].join(' ') },
          },
          'pypirc',
        );
      else if (!serversIn(list.value).includes(spec.section))
        edited = editIni(
          edited,
          { section: LIST_SECTION, putBack: { [LIST_KEY]: withServer(list.raw, spec.section) } },
          'pypirc',
        );
      return editIni(
        edited,
        {
          section: spec.section,
          set: { repository: spec.repositoryUrl, username, password: token },
          replaceReferences,
        },
        'pypirc',
      );
    },
  remover: (record) => (text) => {
    const edited = editIni(
      text,
      {
        section: record.section,
        ...putBack(record.restore, ENTRY_KEYS),
        dropEmptySection: !(sectionNote(record.section) in record.restore),
      },
      'pypirc',
    );
    const list = findIniEntry(edited, 'pypirc', LIST_SECTION, LIST_KEY);
    if (list === undefined) return edited;
    const others = serversIn(list.value).filter((name) => name !== record.section);
    const original = record.restore[LIST_KEY];
    // The list as Artikey found it, unless the person has changed it since: then only Artikey's name goes.
    const before = original === undefined ? TWINE_DEFAULT_SERVERS : serversIn(original);
    const unchanged =
      others.join(' ') === before.filter((name) => name !== record.section).join(' ');
    if (unchanged && original === undefined)
      return editIni(
        edited,
        {
          section: LIST_SECTION,
          remove: [LIST_KEY],
          dropEmptySection: !(sectionNote(LIST_SECTION) in record.restore),
        },
        'pypirc',
      );
    const raw =
      unchanged && original !== undefined ? original : withoutServer(list.raw, record.section);
    return editIni(edited, { section: LIST_SECTION, putBack: { [LIST_KEY]: raw } }, 'pypirc');
  },
  ownsEntry: (spec, credential) => credential.location === `[${spec.section}] password`,
  adopt: (credential) => {
    const section = /^\[(.+)\] password$/.exec(credential.location)?.[1];
    if (section === undefined || !SECTION_NAME.test(section) || RESERVED_SECTIONS.has(section))
      return 'not a repository section of .pypirc; move it to a [<name>] section with a repository URL first';
    if (credential.url === null)
      return `[${section}] names no repository URL; add "repository = <artifactory>/api/pypi/<repo>" first`;
    return {
      target: { kind: 'pypirc', path: credential.file, section, repositoryUrl: credential.url },
      cleanup: null,
    };
  },
};
