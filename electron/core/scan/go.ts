import { goEnvSettings } from '../targets/go-env-file.js';
import {
  credentialFrom,
  credentialsInUrl,
  hostOfUrl,
  type Candidate,
  type FindContext,
} from './classify.js';
import { inLineOrder, type Findings } from './findings.js';

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
      const inUrl = credentialsInUrl(entry);
      if (inUrl === null) continue;
      candidates.push({
        location: 'GOPROXY',
        line: setting.line,
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
