import { readIni } from '../targets/ini-file.js';
import {
  credentialFrom,
  hostOfUrl,
  isJfrogShape,
  type Candidate,
  type FindContext,
} from './classify.js';
import { inLineOrder, type Findings } from './findings.js';

const INDEX_KEYS = new Set(['index-url', 'extra-index-url']);

const decode = (text: string): string => {
  try {
    return decodeURIComponent(text);
  } catch {
    return text;
  }
};

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
      let url: URL;
      try {
        url = new URL(written);
      } catch {
        continue;
      }
      if (url.username === '' && url.password === '') continue;
      const user = decode(url.username);
      const password = decode(url.password);
      // `https://<token>@host/`: the token in the user part, as some guides suggest.
      const tokenOnly = password === '' && (isJfrogShape(user) || /\$\{/.test(user));
      if (password === '' && !tokenOnly) continue;
      url.username = '';
      url.password = '';
      // The line of this URL: a list's items may sit on the lines after the key.
      const index = lines.findIndex((line, at) => at >= entry.line - 1 && line.includes(written));
      candidates.push({
        location: `${entry.section === null ? '' : `[${entry.section}] `}${key}`,
        line: index < 0 ? entry.line : index + 1,
        url: url.href,
        host: hostOfUrl(url.href),
        username: tokenOnly ? null : user,
        secret: tokenOnly ? user : password,
      });
    }
  }
  return {
    found: inLineOrder(candidates.map((candidate) => credentialFrom(context, candidate))),
    notes: [],
  };
}
