/**
 * Takes secrets out of lines of tool files before anything shows them (the preview of a tool
 * change). Two layers: by position, the value of a key that names a credential in the file's
 * format (`_authToken=…`, `"auth": "…"`, `<password>…</password>`, netrc `password …`); by
 * shape, anything that looks like a credential wherever it is (a JWT, a JFrog reference token
 * or API key, a long base64 or hex run, a URL's password, an Authorization value). Either
 * becomes `<secret>`. The literal `<token>` (where Artikey's own token will go) is left as is.
 */
export type SecretFormat = 'ini' | 'properties' | 'json' | 'xml' | 'netrc' | 'yaml' | 'toml';

export const TOKEN_MARK = '<token>';
export const SECRET_MARK = '<secret>';

/** Key names whose values are credentials. */
export const SECRET_KEY = /auth|token|passw(?:or)?d|passphrase|secret|api[-_]?key/i;

/** Values that name no secret even under a secret-sounding key. */
function harmless(value: string): boolean {
  const v = value.trim();
  return (
    v === '' ||
    v === TOKEN_MARK ||
    // Cargo's token is an Authorization value: Artikey's own, with its scheme.
    v === `Bearer ${TOKEN_MARK}` ||
    v === SECRET_MARK ||
    /^(true|false|yes|no|on|off)$/i.test(v) ||
    // A reference to an environment variable is where the secret is not.
    /^\$\{(env\.)?[A-Za-z_][A-Za-z0-9_.]*\}$/.test(v) ||
    /^\$[A-Za-z_][A-Za-z0-9_]*$/.test(v)
  );
}

const hide = (value: string): string => (harmless(value) ? value : SECRET_MARK);

/** One line of a file in `format`, with every secret value replaced by `<secret>`. */
export function redactLine(line: string, format: SecretFormat): string {
  return redactShapes(redactByKey(line, format));
}

function redactByKey(line: string, format: SecretFormat): string {
  switch (format) {
    case 'json':
      // "key": "value", any number per line (Docker writes one per line, others may not).
      return line.replace(
        /("((?:[^"\\]|\\.)*)"\s*:\s*)"((?:[^"\\]|\\.)*)"/g,
        (whole, lead: string, key: string, value: string) =>
          SECRET_KEY.test(key) && !harmless(value) ? `${lead}"${SECRET_MARK}"` : whole,
      );
    case 'xml':
      // An element, an attribute, or an `<add key="ClearTextPassword" value="…"/>` (NuGet.Config,
      // .NET settings) that names a credential.
      return line
        .replace(
          /(<([A-Za-z_][\w.:-]*)(?:\s[^>]*)?>)(.*?)(<\/\2\s*>)/g,
          (whole, open: string, name: string, value: string, close: string) =>
            SECRET_KEY.test(localName(name)) ? `${open}${hide(value)}${close}` : whole,
        )
        .replace(
          /(\s([A-Za-z_][\w.:-]*)\s*=\s*)(["'])(.*?)\3/g,
          (whole, lead: string, name: string, quote: string, value: string) =>
            SECRET_KEY.test(localName(name)) ? `${lead}${quote}${hide(value)}${quote}` : whole,
        )
        .replace(
          /(<add\s[^>]*?\bkey\s*=\s*(["'])([^"']*)\2[^>]*?\svalue\s*=\s*)(["'])(.*?)\4/g,
          (whole, lead: string, _q: string, key: string, quote: string, value: string) =>
            SECRET_KEY.test(key) ? `${lead}${quote}${hide(value)}${quote}` : whole,
        );
    case 'netrc':
      // Tokens separated by white space: the one after `password` (or `account`) is secret.
      return line.replace(
        /(^|\s)(password|account)(\s+)(\S+)/g,
        (_whole, before: string, key: string, gap: string, value: string) =>
          `${before}${key}${gap}${hide(value)}`,
      );
    case 'yaml':
    case 'toml':
      return redactKeyed(line, format);
    case 'ini':
    case 'properties': {
      if (/^\s*[#;!]/.test(line)) return line; // a comment: left to the shape rules
      const separator =
        format === 'ini'
          ? /^(\s*)([^\s=]+)(\s*=\s*)(.*)$/
          : /^(\s*)([^\s=:]+)(\s*[=:]\s*|\s+)(.*)$/;
      const match = separator.exec(line);
      if (!match) return line;
      const [, indent = '', key = '', gap = '', value = ''] = match;
      return SECRET_KEY.test(key) && !harmless(value)
        ? `${indent}${key}${gap}${SECRET_MARK}`
        : line;
    }
  }
}

const localName = (name: string): string => name.slice(name.lastIndexOf(':') + 1);

/** A key, or a quoted one, in YAML and TOML. */
const KEY = String.raw`(?:"(?:[^"\\]|\\.)*"|'[^']*'|[A-Za-z0-9_.@/:+~-]+?)`;
/**
 * A value: quoted (YAML and TOML escapes), or plain up to a comment, a comma or a closing brace
 * (in YAML a `#` starts a comment only after white space, so a plain value may hold one).
 */
const QUOTED = String.raw`"(?:[^"\\]|\\.)*"|'(?:[^']|'')*'`;
const VALUE = {
  yaml: String.raw`(?:${QUOTED}|[^\s,{}[\]#][^,}]*?)`,
  toml: String.raw`(?:${QUOTED}|[^\s,{}[\]#][^,}#]*?)`,
};
/** `key: value` in YAML (block, after a list dash, or inside `{…}`), `key = value` in TOML. */
const KEYED: Record<'yaml' | 'toml', RegExp> = {
  yaml: new RegExp(
    String.raw`(^\s*(?:-\s+)?|[{,]\s*)(${KEY})(\s*:\s+|\s*:(?=["']))(${VALUE.yaml})(?=\s*(?:$|[,}]|\s#))`,
    'g',
  ),
  toml: new RegExp(
    String.raw`(^\s*|[{,]\s*)(${KEY}(?:\s*\.\s*${KEY})*)(\s*=\s*)(${VALUE.toml})(?=\s*(?:$|[,}]|#))`,
    'g',
  ),
};

/** The value of a YAML or TOML key naming a credential (its last dotted part, unquoted), quotes kept. */
function redactKeyed(line: string, format: 'yaml' | 'toml'): string {
  if (/^\s*#/.test(line)) return line;
  return line.replace(
    KEYED[format],
    (whole, lead: string, key: string, gap: string, value: string) => {
      const name = (format === 'toml' ? (key.split('.').at(-1) ?? key) : key)
        .trim()
        .replace(/^["']|["']$/g, '');
      const quote = /^["']/.test(value) ? value[0]! : '';
      const inner = quote === '' ? value : value.slice(1, -1);
      return SECRET_KEY.test(name) && !harmless(inner)
        ? `${lead}${key}${gap}${quote}${SECRET_MARK}${quote}`
        : whole;
    },
  );
}

const SHAPES: [RegExp, (match: string, ...groups: string[]) => string][] = [
  // Authorization header values.
  [
    /\b(Bearer|Basic)(\s+)[A-Za-z0-9+/=._~-]{8,}/gi,
    (_m, scheme = '', gap = '') => `${scheme}${gap}${SECRET_MARK}`,
  ],
  // A password in a URL: scheme://user:password@host.
  [
    /(\b[a-z][a-z0-9+.-]*:\/\/[^\s/:@]*:)([^\s/@]+)@/gi,
    (_m, lead = '', password = '') => `${lead}${hide(password)}@`,
  ],
  // JWTs (JFrog access tokens): three base64url parts.
  [/eyJ[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]*/g, () => SECRET_MARK],
  // JFrog reference tokens and API keys, even when shorter than the generic rule below.
  [/\b(cmVmd|AKCp)[A-Za-z0-9]{20,}/g, () => SECRET_MARK],
  // Long base64 / base64url / hex runs: mixed case and digits (random), or hex.
  [/[A-Za-z0-9+/_-]{32,}={0,2}/g, (run) => (looksRandom(run) ? SECRET_MARK : run)],
];

function looksRandom(run: string): boolean {
  const body = run.replace(/=+$/, '');
  const digit = /[0-9]/.test(body);
  if (/^[0-9a-f]+$/i.test(body)) return digit && /[a-f]/i.test(body);
  return digit && /[a-z]/.test(body) && /[A-Z]/.test(body);
}

function redactShapes(line: string): string {
  return SHAPES.reduce((text, [shape, replace]) => text.replace(shape, replace), line);
}
