import type { Router } from '../http.js';

/** Docker, npm, Maven and PyPI endpoints. */
export function packageRoutes(router: Router): void {
  void router;
}
