import { describe, expect, it } from 'vitest';
import { ClipboardGuard } from '../../electron/main/clipboard-guard.js';

const board = () => ({
  text: 'before',
  writeText(text: string) {
    this.text = text;
  },
  readText() {
    return this.text;
  },
});

describe('clipboard guard', () => {
  it('clears a copied token after the delay, and reports the delay in seconds', async () => {
    const clipboard = board();
    const guard = new ClipboardGuard(clipboard, 50);
    expect(await guard.copy('secret-1')).toEqual({ clearsInSeconds: 0, concealed: false });
    expect(clipboard.text).toBe('secret-1');
    await expect.poll(() => clipboard.text).toBe('');
    expect(await new ClipboardGuard(clipboard).copy('x')).toEqual({ clearsInSeconds: 30, concealed: false });
    new ClipboardGuard(clipboard).clearNow();
  });

  it('leaves alone what the person copied since, and clears at once on quit', async () => {
    const clipboard = board();
    const guard = new ClipboardGuard(clipboard, 60_000);
    await guard.copy('secret-2');
    clipboard.writeText('theirs');
    guard.clearNow();
    expect(clipboard.text).toBe('theirs');
    await guard.copy('secret-3');
    guard.clearNow();
    expect(clipboard.text).toBe('');
  });

  it('a second copy replaces the first timer instead of clearing the new token early', async () => {
    const clipboard = board();
    const guard = new ClipboardGuard(clipboard, 80);
    await guard.copy('secret-4');
    await new Promise((resolve) => setTimeout(resolve, 50));
    await guard.copy('secret-5');
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(clipboard.text).toBe('secret-5');
    await expect.poll(() => clipboard.text).toBe('');
  });
});
