// Threat: a copied token is kept by a clipboard manager or the OS clipboard history (or synced to
// the cloud), or read from another process's command line while it is being copied.
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ClipboardGuard } from '../../electron/main/clipboard-guard.js';
import { concealedCopy, concealedCopyCommand } from '../../electron/main/concealed-clipboard.js';

const TOKEN = 'eyJhbGciOiJSUzI1NiJ9.clipboard-canary-payload-0123456789.signature-part';

const board = () => ({
  text: '',
  plainWrites: 0,
  writeText(text: string) {
    this.text = text;
    this.plainWrites += 1;
  },
  readText() {
    return this.text;
  },
});

describe('a copied token is marked as a password where the platform can', () => {
  it('macOS: the pasteboard gets the text and org.nspasteboard.ConcealedType, the text only on stdin', () => {
    const command = concealedCopyCommand('darwin');
    expect(command?.command).toBe('/usr/bin/osascript');
    const script = command?.args.join(' ') ?? '';
    expect(script).toContain('org.nspasteboard.ConcealedType');
    expect(script).toContain('fileHandleWithStandardInput');
  });

  it('Windows: the data object carries the three exclusion formats, the text only on stdin', () => {
    const command = concealedCopyCommand('win32');
    expect(command?.command).toBe('powershell.exe');
    const encoded = command?.args[command.args.indexOf('-EncodedCommand') + 1] ?? '';
    const script = Buffer.from(encoded, 'base64').toString('utf16le');
    for (const format of ['ExcludeClipboardContentFromMonitorProcessing', 'CanIncludeInClipboardHistory', 'CanUploadToCloudClipboard']) {
      expect(script).toContain(`'${format}'`);
    }
    expect(script).toContain('[Console]::In.ReadToEnd()');
    expect(command?.args).toContain('-STA');
  });

  it('Linux: no helper, so the guard copies plain text and still clears it', async () => {
    expect(concealedCopyCommand('linux')).toBeNull();
    const clipboard = board();
    const guard = new ClipboardGuard(clipboard, 60_000, concealedCopy(concealedCopyCommand('linux')));
    expect(await guard.copy(TOKEN)).toEqual({ clearsInSeconds: 60, concealed: false });
    expect(clipboard.text).toBe(TOKEN);
    guard.clearNow();
    expect(clipboard.text).toBe('');
  });
});

describe('the concealed copy runs as a real process', () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'artikey-clipboard-'));
  });
  afterAll(() => rm(dir, { recursive: true, force: true }));

  /** A stand-in scripting host: records what it was given on stdin and in its command line. */
  async function recordingHost(exitCode = 0): Promise<{ command: string; args: string[]; output: string }> {
    const output = join(dir, `seen-${exitCode}.json`);
    const script = join(dir, `host-${exitCode}.cjs`);
    await writeFile(
      script,
      `let input = '';
process.stdin.setEncoding('utf8');
process.stdin.on('data', (chunk) => (input += chunk));
process.stdin.on('end', () => {
  const cmdline = require('node:fs').readFileSync('/proc/self/cmdline', 'utf8');
  require('node:fs').writeFileSync(${JSON.stringify(output)}, JSON.stringify({ input, cmdline }));
  process.exit(${exitCode});
});`,
    );
    return { command: process.execPath, args: [script], output };
  }

  it('hands the token over on standard input, never in the command line', async () => {
    const host = await recordingHost(0);
    expect(await concealedCopy(host)(TOKEN)).toBe(true);
    const seen = JSON.parse(await readFile(host.output, 'utf8')) as { input: string; cmdline: string };
    expect(seen.input).toBe(TOKEN);
    expect(seen.cmdline).not.toContain(TOKEN);
  });

  it('a host that succeeds leaves the copy to it; one that fails or is missing falls back to plain text', async () => {
    const succeeded = board();
    const concealing = new ClipboardGuard(succeeded, 60_000, async (text) => {
      succeeded.text = text;
      return true;
    });
    expect(await concealing.copy(TOKEN)).toMatchObject({ concealed: true });
    expect(succeeded.plainWrites).toBe(0);
    concealing.clearNow();
    expect(succeeded.text).toBe('');

    const failing = board();
    const failed = new ClipboardGuard(failing, 60_000, concealedCopy(await recordingHost(3)));
    expect(await failed.copy(TOKEN)).toMatchObject({ concealed: false });
    expect(failing.text).toBe(TOKEN);
    failed.clearNow();

    const missing = board();
    const absent = new ClipboardGuard(missing, 60_000, concealedCopy({ command: join(dir, 'no-such-host'), args: [] }));
    expect(await absent.copy(TOKEN)).toMatchObject({ concealed: false });
    expect(missing.text).toBe(TOKEN);
    absent.clearNow();
  });

  it('a host that claims success but left the clipboard without the token is not trusted', async () => {
    const clipboard = board();
    const guard = new ClipboardGuard(clipboard, 60_000, () => Promise.resolve(true));
    await guard.copy(TOKEN);
    expect(clipboard.text).toBe(TOKEN);
    guard.clearNow();
  });
});
