// Electronegativity fetches translations and Electron's release list with `got`; tests never
// leave this machine, so `got` is replaced by a request that fails at once (it then uses its
// bundled English text, and the release-list check is excluded).
// eslint-disable-next-line @typescript-eslint/no-require-imports -- a --require preload is CommonJS
const Module = require('node:module');
const load = Module._load;
Module._load = function (request, ...rest) {
  if (request === 'got')
    return () => Promise.reject(new Error('offline: Artikey tests make no outside requests'));
  return load.call(this, request, ...rest);
};
