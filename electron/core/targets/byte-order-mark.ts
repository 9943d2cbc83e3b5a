import type { ScanTool } from '../scan/credential.js';
import type { ByteOrderMark } from './tool-file.js';

/**
 * The tools that read a UTF-8 byte-order mark as characters of the first line: cmd/go reads
 * `\uFEFFGOPROXY=…` in its env file as a setting of another name (checked with `go env`),
 * `java.util.Properties.load(InputStream)`, which Gradle and sbt use, reads the mark's three bytes
 * as ISO-8859-1 characters of the first key, and Terraform's HCL v1 refuses the whole file
 * ("illegal char" at 1:1), so Artikey's HCL reader refuses it too. Every other tool Artikey
 * writes for skips it.
 */
const MARK_AS_TEXT: ReadonlySet<ScanTool> = new Set(['go', 'gradle', 'sbt', 'terraform']);

export const byteOrderMarkOf = (tool: ScanTool): ByteOrderMark =>
  MARK_AS_TEXT.has(tool) ? 'text' : 'skipped';
