import { join } from 'node:path';
import { editNetrc } from '../netrc.js';
import { NETRC_UNSAFE } from '../safe-values.js';
import { type TargetKindDefinition } from './definition.js';
import type { NetrcSpec } from './netrc-spec.js';

export const netrc: TargetKindDefinition<NetrcSpec> = {
  kind: 'netrc',
  holdsToken: true,
  needsUsername: true,
  secretFormat: 'netrc',
  scanTool: 'netrc',
  sameEntry: (a, b) => a.machine === b.machine,
  defaultPath: ({ platform, env, home }) =>
    env['NETRC'] ?? join(home, platform === 'win32' ? '_netrc' : '.netrc'),
  fromRequest: ({ platformUrl, path }) => ({
    kind: 'netrc',
    path,
    machine: new URL(platformUrl).hostname,
  }),
  describe: (spec) => `netrc: machine ${spec.machine} in ${spec.path}`,
  checkBelongs: (spec, instance) => {
    if (spec.machine.toLowerCase() !== instance.platform.hostname)
      instance.refuse(`machine ${spec.machine}`);
  },
  fields: (spec, { username, token }) => [
    '.netrc',
    [
      ['machine', spec.machine, NETRC_UNSAFE],
      ['user name', username, NETRC_UNSAFE],
      ['token', token, NETRC_UNSAFE],
    ],
  ],
  writer:
    (spec, { username, token }) =>
    (text) =>
      editNetrc(text, { machine: spec.machine, login: username, password: token }),
  remover: (record) => (text) => editNetrc(text, { machine: record.machine, remove: true }),
  ownsEntry: (spec, credential) =>
    credential.location.toLowerCase() === `machine ${spec.machine}`.toLowerCase(),
  adopt: (credential) =>
    credential.host
      ? {
          target: {
            kind: 'netrc',
            path: credential.file,
            machine: credential.host.replace(/:\d+$/, ''),
          },
          cleanup: null,
        }
      : 'the default entry applies to every host',
};
