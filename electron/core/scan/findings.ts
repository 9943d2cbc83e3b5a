import type { FoundCredential } from './credential.js';

/** What a format module finds in one file: credentials, and notes for people (never a secret). */
export interface Findings {
  found: FoundCredential[];
  notes: string[];
}

/** Keeps the non-null entries, in the order of their line in the file (entries without one last). */
export function inLineOrder(found: (FoundCredential | null)[]): FoundCredential[] {
  return found
    .filter((entry): entry is FoundCredential => entry !== null)
    .map((entry, index) => ({ entry, index }))
    .sort((a, b) => (a.entry.line ?? Infinity) - (b.entry.line ?? Infinity) || a.index - b.index)
    .map(({ entry }) => entry);
}
