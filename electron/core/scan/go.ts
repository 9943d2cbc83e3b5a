import { goEnvSettings } from '../targets/go-env-file.js';
import {
  credentialFrom,
  hostOfUrl,
  isJfrogShape,
  type Candidate,
  type FindContext,
} from './classify.js';
import { inLineOrder, type Findings } from './findings.js';

const decode = (text: string): string => {
  try {
    return decodeURIComponent(text);
  } catch {
    return text;
  }
};

/**
 * The Go env file: `GOPROXY` lists proxy URLs separated by `,` or `|`, and a URL may carry
 * `user:password@` (percent-encoded), as `jf setup go` and JFrog's Set Me Up write it. Every
 * GOPROXY line is read, the ones a later line overrides too: their secret is on disk all the same.
 */
export function findInGoEnv(context: FindContext, text: string): Findings {
  const candidates: Candidate[] = [];
  for (const setting of goEnvSettings(text)) {
    if (setting.key !== 'GOPROXY') continue;
    for (const entry of setting.value.split(/[,|]/)) {
      let url: URL;
      try {
        url = new URL(entry.trim());
      } catch {
        continue;
      }
      if (url.username === '' && url.password === '') continue;
      const user = decode(url.username);
      const password = decode(url.password);
      // `https://<token>@host/…`: the token in the user part.
      const tokenOnly = password === '' && (isJfrogShape(user) || /\$\{/.test(user));
      if (password === '' && !tokenOnly) continue;
      url.username = '';
      url.password = '';
      candidates.push({
        location: 'GOPROXY',
        line: setting.line,
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
