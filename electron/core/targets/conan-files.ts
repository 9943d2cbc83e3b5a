import type { NamedListFile } from './json-named-list.js';

/**
 * Conan 2's `remotes.json`, as conan/api/subapi/remotes.py `_save` writes it (`json.dumps(…,
 * indent=True)`: one space per level, no final line break). Conan writes this default, with
 * conancenter, when the file is missing, so a file Artikey creates starts from it (the person
 * keeps conancenter) and is deleted when it is left so again.
 */
export const CONAN_REMOTES: NamedListFile = {
  what: "Conan's remotes.json",
  list: 'remotes',
  nameField: 'name',
  created:
    '{\n "remotes": [\n  {\n   "name": "conancenter",\n   "url": "https://center2.conan.io",\n   "verify_ssl": true\n  }\n ]\n}',
};

/** Conan 2's `credentials.json` (docs.conan.io/2 reference/config_files/credentials.html). */
export const CONAN_CREDENTIALS: NamedListFile = {
  what: "Conan's credentials.json",
  list: 'credentials',
  nameField: 'remote',
  created: '{\n    "credentials": []\n}\n',
};
