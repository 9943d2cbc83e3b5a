import { spawn } from 'node:child_process';

/**
 * Puts text on the clipboard marked as a password, so clipboard managers and history features
 * that honour the platform's convention neither keep nor show it. Electron 41's clipboard writes
 * one format per call and each call replaces the clipboard (custom formats beside text arrive in
 * Electron 44's `clipboard.write`), so the marked copy is made by the platform's own scripting
 * host instead, with the text on standard input — never in the command line, which other
 * processes can read.
 *
 * - macOS: JavaScript for Automation writes the string plus `org.nspasteboard.ConcealedType`
 *   (nspasteboard.org), which Alfred, Maccy, Pastebot, Raycast and others skip or mask.
 * - Windows: PowerShell writes Unicode text plus `ExcludeClipboardContentFromMonitorProcessing`
 *   (clipboard monitors skip it) and `CanIncludeInClipboardHistory` / `CanUploadToCloudClipboard`
 *   set to 0 (Win+V history and cloud sync skip it), the formats Microsoft documents for this.
 * - Linux: no helper. An X11 or Wayland selection must be served by a live process, and KDE's
 *   `x-kde-passwordManagerHint` would have to be offered beside the text by the same owner;
 *   Electron owns the selection and can offer one format only. The copy is plain text there,
 *   and the 30-second clear is the protection.
 */
export interface ConcealedCopyCommand {
  command: string;
  args: string[];
}

/** Puts `text` on the clipboard marked as concealed; false when this platform cannot. */
export type ConcealedCopy = (text: string) => Promise<boolean>;

const MACOS_SCRIPT = `
ObjC.import('AppKit');
const input = $.NSFileHandle.fileHandleWithStandardInput.readDataToEndOfFile;
const text = $.NSString.alloc.initWithDataEncoding(input, $.NSUTF8StringEncoding);
const board = $.NSPasteboard.generalPasteboard;
board.clearContents;
if (!board.setStringForType(text, $.NSPasteboardTypeString)) throw new Error('text refused');
board.setStringForType($(''), 'org.nspasteboard.ConcealedType');
`;

const WINDOWS_SCRIPT = `
$ErrorActionPreference = 'Stop'
Add-Type -AssemblyName System.Windows.Forms
[Console]::InputEncoding = [System.Text.UTF8Encoding]::new($false)
$text = [Console]::In.ReadToEnd()
$data = New-Object System.Windows.Forms.DataObject
$data.SetText($text, [System.Windows.Forms.TextDataFormat]::UnicodeText)
$zero = [byte[]](0, 0, 0, 0)
$data.SetData('ExcludeClipboardContentFromMonitorProcessing', $false, [System.IO.MemoryStream]::new($zero))
$data.SetData('CanIncludeInClipboardHistory', $false, [System.IO.MemoryStream]::new($zero))
$data.SetData('CanUploadToCloudClipboard', $false, [System.IO.MemoryStream]::new($zero))
[System.Windows.Forms.Clipboard]::SetDataObject($data, $true)
`;

/** The scripting host that makes a concealed copy on this platform, or null where none does. */
export function concealedCopyCommand(platform: NodeJS.Platform): ConcealedCopyCommand | null {
  if (platform === 'darwin') return { command: '/usr/bin/osascript', args: ['-l', 'JavaScript', '-e', MACOS_SCRIPT] };
  if (platform === 'win32') {
    // -EncodedCommand keeps the script's quotes intact; it is UTF-16LE, as PowerShell expects.
    const encoded = Buffer.from(WINDOWS_SCRIPT, 'utf16le').toString('base64');
    return { command: 'powershell.exe', args: ['-NoProfile', '-NonInteractive', '-STA', '-EncodedCommand', encoded] };
  }
  return null;
}

/** Runs the platform's command with the text on standard input; false if it is missing or fails. */
export function concealedCopy(command: ConcealedCopyCommand | null, timeoutMs = 10_000): ConcealedCopy {
  return (text) =>
    new Promise((resolve) => {
      if (!command) return resolve(false);
      const child = spawn(command.command, command.args, { stdio: ['pipe', 'ignore', 'ignore'], windowsHide: true, timeout: timeoutMs });
      child.on('error', () => resolve(false));
      child.on('close', (code) => resolve(code === 0));
      child.stdin.on('error', () => undefined);
      child.stdin.end(text);
    });
}
