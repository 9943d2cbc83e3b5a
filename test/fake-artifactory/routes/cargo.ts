import { fixtures } from '../fixtures.js';
import { artifactoryError, send, sendJson, sendText, type Router } from '../http.js';
import { repositoryCaller } from './guards.js';

/**
 * A Cargo sparse registry under `<artifactory>/api/cargo/<repo>/index/` (Artifactory "Cargo
 * Sparse Indexing" since 7.46.3: registry URL `…/api/cargo/<repo>/index`; the client config is
 * `index = "sparse+https://…/api/cargo/<repo>/index/"` and the token in credentials.toml is
 * `Bearer <token>`, per "Resolve Cargo Packages"). The shapes are the Cargo Book's "Registry
 * Index": `config.json` with `dl`, `api` and `auth-required` (RFC 3139), index files at
 * `ar/ti/<name>` for names of four or more letters, one JSON line per version. Cargo asks for
 * config.json without credentials and sends its token only after a 401 (rust-lang/cargo#11460,
 * where Artifactory first answered 400 and cargo could not log in), so the anonymous answer must
 * be 401. `dl` gets `/{crate}/{version}/download` appended, Cargo's default.
 */
export function cargoRoutes(router: Router): void {
  router.on(
    'GET',
    /^\/artifactory\/api\/cargo\/([^/]+)\/(index\/.+|v1\/crates\/[^/]+\/[^/]+\/download)$/,
    (ex) => {
      const [repo = '', rest = ''] = ex.params;
      if (!repositoryCaller(ex, repo, ['cargo'], 'read')) return;
      const { cargo } = fixtures();
      const api = `${ex.state.baseUrl()}/artifactory/api/cargo/${repo}`;
      if (rest === 'index/config.json') {
        return sendJson(ex, 200, { dl: `${api}/v1/crates`, api, 'auth-required': true });
      }
      if (rest === `index/${cargo.name.slice(0, 2)}/${cargo.name.slice(2, 4)}/${cargo.name}`) {
        const entry = {
          name: cargo.name,
          vers: cargo.version,
          deps: [],
          cksum: cargo.sha256,
          features: {},
          yanked: false,
        };
        return sendText(ex, 200, `${JSON.stringify(entry)}\n`);
      }
      if (rest === `v1/crates/${cargo.name}/${cargo.version}/download`) {
        return send(ex, 200, cargo.crate, 'application/x-tar');
      }
      artifactoryError(ex, 404, `Could not find resource: ${rest}`);
    },
  );
}
