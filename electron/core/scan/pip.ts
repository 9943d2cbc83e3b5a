import { readIni } from '../targets/ini-file.js';
import {
  credentialFrom,
  credentialsInUrl,
  hostOfUrl,
  type Candidate,
  type FindContext,
} from './classify.js';
import { inLineOrder, type Findings } from './findings.js';

const INDEX_KEYS = new Set(['index-url', 'extra-index-url']);

/**
 * pip's configuration: `index-url` and `extra-index-url` (a whitespace-separated list, often over
 * several lines) in any section, with `user:password@` in the URL, percent-encoded.
 */
export function findInPipConfig(context: FindContext, text: string): Findings {
  const lines = text.split('\n');
  const candidates: Candidate[] = [];
  for (const entry of readIni(text, 'pip')) {
    const key = entry.key.toLowerCase().replace(/_/g, '-');
    if (!INDEX_KEYS.has(key)) continue;
    for (const written of entry.value.split(/\s+/).filter(Boolean)) {
      const inUrl = credentialsInUrl(written);
      if (inUrl === null) continue;
      // The line of this URL: a list's items may sit on the lines after the key.
      const index = lines.findIndex((line, at) => at >= entry.line - 1 && line.includes(written));
      candidates.push({
        location: `${entry.section === null ? '' : `[${entry.section}] `}${key}`,
        line: index < 0 ? entry.line : index + 1,
        url: inUrl.url,
        host: hostOfUrl(inUrl.url),
        username: inUrl.username,
        secret: inUrl.secret,
      });
    }
  }
  return {
    found: inLineOrder(candidates.map((candidate) => credentialFrom(context, candidate))),
    notes: [],
  };
}
