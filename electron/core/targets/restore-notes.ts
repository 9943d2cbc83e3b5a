/**
 * What a kind's writer notes before Artikey's first write replaces a setting, and how its remover
 * gives it back: shared by every kind whose file holds settings of the person's beside Artikey's.
 */

/**
 * Notes a setting before Artikey first replaces it, so removal restores it byte for byte: its
 * text as the file spells it (quotes, escapes, spacing). A `\${VAR}` reference is kept; a secret
 * is not (it is what the user moves away from, and the state file never holds one); a URL with
 * credentials in it is kept without them, so pip still uses the same index instead of silently
 * falling back to PyPI.
 */
export function rememberPrevious(
  restore: Record<string, string>,
  key: string,
  current: { value: string; raw: string } | undefined,
  secret: boolean,
): void {
  if (key in restore || current === undefined) return;
  if (/\$\{[^}]*\}/.test(current.value)) restore[key] = current.raw;
  else if (!secret) {
    const stripped = stripCredentials(current.value);
    restore[key] = stripped === current.value ? current.raw : stripped;
  }
}

/** Each setting Artikey wrote goes back to what the file held before, or goes if it held nothing. */
export function putBack(
  restore: Record<string, string>,
  keys: string[],
): { putBack: Record<string, string>; remove: string[] } {
  const given: Record<string, string> = {};
  for (const key of keys) if (key in restore) given[key] = restore[key]!;
  return { putBack: given, remove: keys.filter((key) => !(key in restore)) };
}

export function withCredentials(url: string, username: string, token: string): string {
  const parsed = new URL(url);
  parsed.username = encodeURIComponent(username);
  parsed.password = encodeURIComponent(token);
  return parsed.toString();
}

function stripCredentials(url: string): string {
  try {
    const parsed = new URL(url);
    if (!parsed.username && !parsed.password) return url;
    parsed.username = '';
    parsed.password = '';
    return parsed.toString();
  } catch {
    return url;
  }
}
