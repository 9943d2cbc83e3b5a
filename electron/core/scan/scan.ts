import type { Environment } from '../paths.js';
import { byteOrderMarkOf } from '../targets/byte-order-mark.js';
import { readToolFile, ToolFileError } from '../targets/tool-file.js';
import type { FindContext } from './classify.js';
import type {
  FoundCredential,
  ScanInstance,
  ScanProblem,
  ScanReport,
  ScanTool,
} from './credential.js';
import type { Findings } from './findings.js';
import { jfrogSecurityFile, type CredentialFile } from './locations.js';
import { credentialFiles, readerOf } from './readers.js';

/**
 * The credential scanner behind `artikey scan`: Artifactory credentials lying in plain text in
 * the usual places (each tool's reader in readers.ts), classified and tied to
 * the Artikey instance they belong to, so they can be replaced with Artikey-managed tokens.
 */
export type {
  CredentialKind,
  FoundCredential,
  PublicCredential,
  ScanInstance,
  ScanProblem,
  ScanReport,
  ScanTool,
} from './credential.js';
export { publicView } from './credential.js';
export { credentialFiles } from './readers.js';
export { credentialView, managementOf } from './managed.js';
export type { CredentialView, ManagedPlaces, Management } from './managed.js';
export type { CredentialFile } from './locations.js';

const BOM = '\uFEFF';

interface Options {
  instances: ScanInstance[];
  /** JFrog CLI's 32-byte encryption key, when there is one. */
  encryptionKey: string | null;
}

function findings(tool: ScanTool, file: string, text: string, options: Options): Findings {
  const context: FindContext = { tool, file, instances: options.instances };
  const body = text.startsWith(BOM) && byteOrderMarkOf(tool) === 'skipped' ? text.slice(1) : text;
  return readerOf(tool).find(context, body, options.encryptionKey);
}

/**
 * Pure: the credentials in one file's text. `env` supplies `JFROG_CLI_ENCRYPTION_KEY` (the key
 * itself; a `.key` file is read only by `scanCredentials`). Throws ToolFileError
 * (`tool-file-invalid`) for text the tool could not read either.
 */
export function findInText(
  tool: ScanTool,
  file: string,
  text: string,
  instances: ScanInstance[],
  env: Record<string, string | undefined> = {},
): FoundCredential[] {
  const key = env['JFROG_CLI_ENCRYPTION_KEY'] ?? null;
  return findings(tool, file, text, { instances, encryptionKey: key }).found;
}

/**
 * Reads every file of `credentialFiles` (and `extraFiles`) and reports what it finds. Missing
 * files are only listed in `searched`; unreadable, invalid or oversized ones become problems and
 * the scan goes on. Entries come in file order, then line order.
 */
export async function scanCredentials(options: {
  environment: Environment;
  instances: ScanInstance[];
  extraFiles?: CredentialFile[];
}): Promise<ScanReport> {
  const files = uniqueFiles([
    ...credentialFiles(options.environment),
    ...(options.extraFiles ?? []),
  ]);
  const report: ScanReport = { found: [], problems: [], searched: files.map((f) => f.path) };
  let encryptionKey: Promise<string | null> | null = null;
  for (const { tool, path } of files) {
    let text: string | null;
    try {
      text = await readToolFile(path);
    } catch (error) {
      report.problems.push({ file: path, message: readProblem(error) });
      continue;
    }
    if (text === null) continue;
    try {
      if (tool === 'jfrog-cli' && /"enc"\s*:\s*true/.test(text)) {
        encryptionKey ??= jfrogEncryptionKey(options.environment, report.problems);
      }
      const key = tool === 'jfrog-cli' && encryptionKey !== null ? await encryptionKey : null;
      const found = findings(tool, path, text, {
        instances: options.instances,
        encryptionKey: key,
      });
      report.found.push(...found.found);
      report.problems.push(...found.notes.map((message) => ({ file: path, message })));
    } catch (error) {
      report.problems.push({ file: path, message: parseProblem(tool, error) });
    }
  }
  return report;
}

function uniqueFiles(files: CredentialFile[]): CredentialFile[] {
  const seen = new Set<string>();
  return files.filter((file) => {
    const key = `${file.tool}\0${file.path}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

/** In Artikey's words, with the system's reason (`EACCES`): never the file's content. */
function readProblem(error: unknown): string {
  if (error instanceof ToolFileError && error.code === 'tool-file-too-large')
    return 'Too large for a configuration file; not scanned.';
  if (error instanceof ToolFileError && error.code === 'tool-file-invalid')
    return 'Not a regular file; not scanned.';
  const reason = /\b(E[A-Z]{2,})\b/.exec(error instanceof Error ? error.message : '')?.[1];
  return `Could not be read${reason === undefined ? '' : ` (${reason})`}; not scanned.`;
}

/**
 * A parser's message may quote the line it choked on, and that line may hold a secret: the
 * problem is worded here, keeping only the line number.
 */
function parseProblem(tool: ScanTool, error: unknown): string {
  const message = error instanceof Error ? error.message : '';
  const line = /\bline (\d+)/i.exec(message)?.[1];
  const where = line === undefined ? '' : ` (line ${line})`;
  if (error instanceof ToolFileError)
    return `${readerOf(tool).format} is not valid${where}; not scanned.`;
  return `${readerOf(tool).format} could not be scanned${where}.`;
}

/**
 * JFrog CLI's encryption key: `JFROG_CLI_ENCRYPTION_KEY` (the key, or the path of a `.key` file
 * holding it), else `masterKey` in `<JFrog CLI home>/security/security.yaml`.
 */
async function jfrogEncryptionKey(
  environment: Environment,
  problems: ScanProblem[],
): Promise<string | null> {
  const fromEnv = environment.env['JFROG_CLI_ENCRYPTION_KEY'];
  if (fromEnv !== undefined && fromEnv !== '') {
    if (!fromEnv.endsWith('.key')) return fromEnv;
    try {
      const text = await readToolFile(fromEnv);
      if (text !== null) return text.replace(/^\uFEFF/, '').trim();
    } catch {
      // Reported below like a missing file.
    }
    problems.push({
      file: fromEnv,
      message:
        'JFROG_CLI_ENCRYPTION_KEY names a key file that could not be read; encrypted JFrog CLI values are reported as encrypted.',
    });
    return null;
  }
  const security = jfrogSecurityFile(environment);
  try {
    const text = await readToolFile(security);
    if (text === null) return null;
    const value = /^masterKey\s*:\s*(.*?)\s*$/m.exec(text)?.[1];
    if (value === undefined) return null;
    return /^(['"]).*\1$/.test(value) ? value.slice(1, -1) : value;
  } catch {
    problems.push({
      file: security,
      message: 'Could not be read; encrypted JFrog CLI values are reported as encrypted.',
    });
    return null;
  }
}
