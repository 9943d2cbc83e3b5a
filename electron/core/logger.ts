/** Where log lines go; the CLI writes to stderr when asked to be verbose, the app to a file. */
export type LogSink = (line: string) => void;

export interface Logger {
  info(message: string): void;
  warn(message: string): void;
  error(message: string): void;
}

const SECRET_SHAPES: RegExp[] = [
  /eyJ[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]+/g, // JWTs
  /cmVmd[A-Za-z0-9]{59}/g, // reference tokens
  /AKCp[A-Za-z0-9]{60,}/g, // API keys
  /(?<=\b(?:Bearer|Basic)\s+)[A-Za-z0-9+/=._-]{8,}/gi, // Authorization header values
  // The credential fields of token requests and answers: "refresh_token":"…" (also inside an
  // escaped JSON text) and refresh_token=… (query strings, form bodies).
  /(?<=\\?"(?:access_token|refresh_token|reference_token|token|password|api_?key)\\?"\s*:\s*\\?")(?:[^"\\]|\\[^"])+/gi,
  /(?<=\b(?:access_token|refresh_token|reference_token|token|password|api_?key)=)[^&\s"']+/gi,
];

/** Removes anything shaped like a credential, so a log line can never carry one. */
export function redact(text: string): string {
  return SECRET_SHAPES.reduce((line, shape) => line.replace(shape, '[redacted]'), text);
}

/** Values shorter than this are not hidden: removing every "a" would ruin a message and protect nothing. */
const MIN_SECRET_LENGTH = 4;

/**
 * Removes these exact values, in each form they take on the wire (as sent, JSON-escaped,
 * URL- and form-encoded). Shapes cannot catch an opaque refresh token or a password; the code
 * that sent or received a secret knows its value and passes it here.
 */
export function redactValues(text: string, values: Iterable<string>): string {
  const forms = new Set<string>();
  for (const value of values) {
    if (value.length < MIN_SECRET_LENGTH) continue;
    forms.add(value);
    forms.add(JSON.stringify(value).slice(1, -1));
    forms.add(encodeURIComponent(value));
    forms.add(new URLSearchParams({ v: value }).toString().slice(2));
  }
  // Longest first: a value that contains another goes whole.
  return [...forms].sort((a, b) => b.length - a.length).reduce((line, form) => line.replaceAll(form, '[redacted]'), text);
}

/** A named logger whose every line passes the redactor: `[refresh] refreshed acme.jfrog.io`. */
export function createLogger(name: string, sink: LogSink = () => undefined): Logger {
  const write = (level: string, message: string): void => sink(`${level} [${name}] ${redact(message)}`);
  return {
    info: (message) => write('info', message),
    warn: (message) => write('warn', message),
    error: (message) => write('error', message),
  };
}
