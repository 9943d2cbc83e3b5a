import { createHash } from 'node:crypto';
import type { ConcealedCopy } from './concealed-clipboard.js';

export interface ClipboardLike {
  writeText(text: string): void;
  readText(): string;
}

export const CLIPBOARD_CLEAR_SECONDS = 30;

const digest = (text: string): string => createHash('sha256').update(text).digest('hex');

/**
 * Puts a token on the clipboard and takes it off again after 30 s, unless the person copied
 * something else meanwhile (that is theirs, not ours to clear). Only a digest of the token is
 * kept while waiting, never the token. Quitting clears it at once. Where the platform has a
 * convention for marking a copy as a password (see concealed-clipboard.ts), the copy carries it;
 * where that fails, the token is copied as plain text, as the person asked.
 */
export class ClipboardGuard {
  #pending: { digest: string; timer: ReturnType<typeof setTimeout> } | null = null;

  constructor(
    private readonly clipboard: ClipboardLike,
    private readonly clearAfterMs = CLIPBOARD_CLEAR_SECONDS * 1000,
    private readonly conceal: ConcealedCopy = () => Promise.resolve(false),
  ) {}

  async copy(secret: string): Promise<{ clearsInSeconds: number; concealed: boolean }> {
    this.#cancel();
    const concealed = await this.conceal(secret).catch(() => false);
    if (!concealed || this.clipboard.readText() !== secret) this.clipboard.writeText(secret);
    const timer = setTimeout(() => this.clearNow(), this.clearAfterMs);
    timer.unref?.();
    this.#pending = { digest: digest(secret), timer };
    return { clearsInSeconds: Math.round(this.clearAfterMs / 1000), concealed };
  }

  /** Clears the clipboard if it still holds what we put there. */
  clearNow(): void {
    const pending = this.#pending;
    this.#cancel();
    if (pending && digest(this.clipboard.readText()) === pending.digest)
      this.clipboard.writeText('');
  }

  #cancel(): void {
    if (this.#pending) clearTimeout(this.#pending.timer);
    this.#pending = null;
  }
}
