/**
 * The one IPC contract. Main registers a handler per method, the preload exposes a named
 * function per method, and the renderer's `window.artikey` type is derived from here.
 */
export type Result<T> = { ok: true; value: T } | { ok: false; code: string; message: string };

export interface AppInfo {
  name: string;
  version: string;
}

/** Every method: its arguments and what it resolves to. */
export interface Methods {
  'app.version': { args: []; result: AppInfo };
}

export type MethodName = keyof Methods;

export const METHOD_NAMES = ['app.version'] as const satisfies readonly MethodName[];

/** Every channel is namespaced, so nothing else on the bus can be mistaken for ours. */
export const channel = (method: MethodName): `artikey:${MethodName}` => `artikey:${method}`;

/** The bridge as the renderer sees it: `window.artikey.app.version()`. */
export interface ArtikeyBridge {
  app: { version(): Promise<Result<AppInfo>> };
}
