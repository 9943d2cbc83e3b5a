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
  /(Bearer|Basic)\s+[A-Za-z0-9+/=._-]{8,}/gi, // Authorization header values
  /([?&](?:token|access_token|refresh_token|password|apikey)=)[^&\s]+/gi,
];

/** Removes anything shaped like a credential, so a log line can never carry one. */
export function redact(text: string): string {
  return SECRET_SHAPES.reduce((line, shape) => line.replace(shape, (match, prefix: unknown) => (typeof prefix === 'string' && match.startsWith(prefix) ? `${prefix}[redacted]` : '[redacted]')), text);
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
