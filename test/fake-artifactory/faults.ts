/** Faults a test can inject: each matches some requests and takes them over, a number of times. */
export type FaultAction =
  | { kind: 'status'; status: number; body?: string; contentType?: string; headers?: Record<string, string> }
  | { kind: 'delay'; ms: number }
  /**
   * The server does the work (creates the token, say) but holds its answer back: for `ms`, or
   * until the client goes away. A client killed meanwhile never learns what the server did.
   */
  | { kind: 'hold-answer'; ms?: number }
  | { kind: 'reset' }
  | { kind: 'hang' }
  /** An SSO login page answered with status 200, as proxies in front of Artifactory do. */
  | { kind: 'html-login' }
  /** A proxy error page (502 by default) in HTML. */
  | { kind: 'proxy-error'; status?: number }
  /** A redirect to another origin (default: the same server under the name `localhost`). */
  | { kind: 'redirect'; to?: string; status?: 301 | 302 | 303 | 307 | 308 }
  | { kind: 'oversized'; bytes: number; contentType?: string }
  /**
   * An error page quoting the request back, body and headers (credentials included), as some
   * gateways and debug pages do: whatever Artikey makes of it must not repeat a secret.
   */
  | { kind: 'echo'; status?: number; contentType?: string };

export interface FaultSpec {
  method?: string;
  /** Exact path, a path prefix ending in `*`, or a regular expression. */
  path: string | RegExp;
  /** How many matching requests it takes over; unlimited when absent. */
  times?: number;
  action: FaultAction;
}

interface ActiveFault extends FaultSpec {
  id: number;
  remaining: number;
}

export class Faults {
  readonly #active: ActiveFault[] = [];
  #nextId = 1;

  add(spec: FaultSpec): number {
    const id = this.#nextId++;
    this.#active.push({ ...spec, id, remaining: spec.times ?? Number.POSITIVE_INFINITY });
    return id;
  }

  remove(id: number): void {
    const index = this.#active.findIndex((f) => f.id === id);
    if (index >= 0) this.#active.splice(index, 1);
  }

  clear(): void {
    this.#active.length = 0;
  }

  /** The first fault matching this request, consuming one of its uses. */
  take(method: string, path: string): FaultAction | undefined {
    const fault = this.#active.find((f) => (!f.method || f.method === method) && matches(f.path, path));
    if (!fault) return undefined;
    fault.remaining -= 1;
    if (fault.remaining <= 0) this.remove(fault.id);
    return fault.action;
  }
}

function matches(pattern: string | RegExp, path: string): boolean {
  if (pattern instanceof RegExp) return pattern.test(path);
  if (pattern.endsWith('*')) return path.startsWith(pattern.slice(0, -1));
  return pattern === path;
}
