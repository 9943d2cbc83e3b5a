// Loaded with `node --require` before Electronegativity's CLI (test/lint/electronegativity.test.ts).
// It fixes two things about running it in a test, and changes nothing it checks:
// - Offline: it fetches translations and Electron's release list with `got`; here `got` fails at
//   once, so it uses its bundled English text (the release-list check is excluded by the test).
// - A complete report: it writes the CSV header and the rows with two concurrent fs.writeFile
//   calls ('w' then 'a'), and about one run in four the header lands over the first row. Writes
//   are made synchronous, so they happen in the order they were asked for.
/* eslint-disable @typescript-eslint/no-require-imports -- a --require preload is CommonJS */
const fs = require('node:fs');
const Module = require('node:module');

const load = Module._load;
Module._load = function (request, ...rest) {
  if (request === 'got')
    return () => Promise.reject(new Error('offline: Artikey tests make no outside requests'));
  return load.call(this, request, ...rest);
};

fs.writeFile = function (file, data, options, callback) {
  const done = typeof options === 'function' ? options : callback;
  let error = null;
  try {
    fs.writeFileSync(file, data, typeof options === 'function' ? undefined : options);
  } catch (caught) {
    error = caught;
  }
  process.nextTick(() => done?.(error));
};
