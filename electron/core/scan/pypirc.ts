import { readIni, type IniEntry } from '../targets/ini-file.js';
import {
  credentialFrom,
  hostOfUrl,
  withoutCredentials,
  type Candidate,
  type FindContext,
} from './classify.js';
import { inLineOrder, type Findings } from './findings.js';

/** Where twine uploads a section that names no repository (its DEFAULT_REPOSITORY). */
const PYPI_UPLOAD = 'https://upload.pypi.org/legacy/';

/**
 * `.pypirc` (twine, read with Python's RawConfigParser): the `password` of each section, with
 * the section's `username` and `repository`; `[server-login]` gives every section its defaults.
 * Every section is read, listed in `[distutils] index-servers` or not: either way the password
 * lies in the file in plain text.
 */
export function findInPypirc(context: FindContext, text: string): Findings {
  const sections = new Map<string, Map<string, IniEntry>>();
  for (const entry of readIni(text, 'pypirc')) {
    const name = entry.section ?? '';
    const keys = sections.get(name) ?? new Map<string, IniEntry>();
    // configparser refuses a repeated key; the first is the one a lenient reader would keep too.
    if (!keys.has(entry.key.toLowerCase())) keys.set(entry.key.toLowerCase(), entry);
    sections.set(name, keys);
  }
  const defaults = sections.get('server-login');
  const candidates: Candidate[] = [];
  for (const [section, keys] of sections) {
    const password = keys.get('password');
    if (section === 'distutils' || password === undefined || password.value.trim() === '') continue;
    const repository = keys.get('repository')?.value.trim() || null;
    const url = repository ?? (section === 'pypi' ? PYPI_UPLOAD : null);
    candidates.push({
      location: `[${section}] password`,
      line: password.line,
      url: url === null ? null : withoutCredentials(url),
      host: url === null ? null : hostOfUrl(url),
      username: (keys.get('username') ?? defaults?.get('username'))?.value.trim() || null,
      secret: password.value.trim(),
    });
  }
  return {
    found: inLineOrder(candidates.map((candidate) => credentialFrom(context, candidate))),
    notes: [],
  };
}
