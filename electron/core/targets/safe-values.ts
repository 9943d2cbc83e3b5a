import { ToolFileError } from './tool-file.js';

/**
 * Values Artikey writes into tool files (user names, tokens, URLs, ids) come from the person, the
 * window page or a server. A character the file's format would read as structure — a line break
 * that starts a new setting, a space that ends a netrc token — turns a value into an injection,
 * so each writer refuses it before the file is touched.
 */

/** Control characters (line breaks, NUL, escape…) and Unicode line separators: no format holds them. */
const CONTROL = /[\p{Cc}\u2028\u2029]/u;

/** One value bound for a file, the name a person knows it by, and what its format cannot hold. */
export type Field = [field: string, value: string, unsafe?: RegExp];

/** Whitespace, comments and quoting end or change a netrc token (curl, Python, Git read it so). */
export const NETRC_UNSAFE = /[\s#"'\\]/u;
/** npm's ini reader ends a value at an unescaped `;` or `#` and reads `\` as an escape. */
export const NPMRC_UNSAFE = /[;#\\]/u;
/**
 * `java.util.Properties` ends a key at `=`, `:` or whitespace and reads `\`, `#`, `!` specially;
 * the editor escapes them, but a property prefix holding one is no name a person meant.
 */
export const PROPERTY_KEY_UNSAFE = /[\s=:#!\\]/u;
/** HTTP Basic (Docker's `auth`, Maven, pip, Gradle) splits user and password at the first `:`. */
export const BASIC_USER_UNSAFE = /:/u;

/** A character as a message can show it, without writing a control character to a terminal. */
export function describeCharacter(char: string): string {
  if (char === '\n' || char === '\r') return 'a line break';
  if (char === ' ') return 'a space';
  if (CONTROL.test(char) || /\s/u.test(char))
    return `the character U+${char.codePointAt(0)!.toString(16).toUpperCase().padStart(4, '0')}`;
  return `'${char}'`;
}

/**
 * Throws for the first field holding a control character or a character of its format's unsafe
 * set. The message names the field and the file, never the value (it may be the token).
 */
export function requireSafeValues(file: string, fields: Field[]): void {
  for (const [field, value, unsafe] of fields) {
    const bad = [...value].find((char) => CONTROL.test(char) || (unsafe?.test(char) ?? false));
    if (bad !== undefined)
      throw new ToolFileError(
        'tool-file-unsafe-value',
        `The ${field} for ${file} contains ${describeCharacter(bad)}, which ${file} cannot hold safely; Artikey left the file untouched.`,
      );
  }
}
