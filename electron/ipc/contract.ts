/**
 * The one IPC contract. Main registers a handler per method, the preload exposes a named
 * function per method, and the renderer's `window.artikey` type is derived from here.
 */

/** What every call resolves to: Electron keeps an Error's message but drops its code. */
export type Result<T> = { ok: true; value: T } | { ok: false; code: string; message: string };

export interface AppInfo {
  name: string;
  version: string;
}

/** Every method, named `<area>.<verb>`: the arguments it takes and the value it resolves to. */
export interface Methods {
  'app.version': { args: []; result: AppInfo };
}

export type MethodName = keyof Methods;
export type Channel<N extends MethodName = MethodName> = `artikey:${N}`;

/** Every channel is namespaced, so nothing else on the bus can be mistaken for ours. */
export const channel = <N extends MethodName>(method: N): Channel<N> => `artikey:${method}`;

type Area<N extends MethodName> = N extends `${infer A}.${string}` ? A : never;

/** `window.artikey` as the page sees it: `'app.version'` becomes `artikey.app.version()`. */
export type ArtikeyBridge = {
  [A in Area<MethodName>]: {
    [N in MethodName as N extends `${A}.${infer Verb}` ? Verb : never]: (
      ...args: Methods[N]['args']
    ) => Promise<Result<Methods[N]['result']>>;
  };
};
