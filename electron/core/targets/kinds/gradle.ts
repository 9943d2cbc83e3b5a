import { join } from 'node:path';
import { editProperties, readProperties } from '../java-properties.js';
import { putBack, rememberPrevious } from '../restore-notes.js';
import { BASIC_USER_UNSAFE, PROPERTY_KEY_UNSAFE } from '../safe-values.js';
import { invalidOption, type TargetKindDefinition } from './definition.js';
import type { GradleSpec } from './gradle-spec.js';

const keysOf = (prefix: string): string[] =>
  ['user', 'password', 'contextUrl'].map((name) => `${prefix}_${name}`);

export const gradle: TargetKindDefinition<GradleSpec> = {
  kind: 'gradle',
  holdsToken: true,
  needsUsername: true,
  secretFormat: 'properties',
  scanTool: 'gradle',
  sameEntry: (a, b) => a.prefix === b.prefix,
  defaultPath: ({ env, home }) =>
    join(env['GRADLE_USER_HOME'] ?? join(home, '.gradle'), 'gradle.properties'),
  fromRequest: ({ options, artifactoryUrl, path }) => {
    const prefix = options.prefix?.trim() || 'artifactory';
    if (!/^[A-Za-z][A-Za-z0-9_.]*$/.test(prefix))
      throw invalidOption(`--prefix "${prefix}" should be a property name such as artifactory`);
    return { kind: 'gradle', path, prefix, contextUrl: artifactoryUrl.replace(/\/$/, '') };
  },
  describe: (spec) => `gradle: ${spec.prefix}_user/_password/_contextUrl in ${spec.path}`,
  checkBelongs: (spec, instance) => instance.sameHost(spec.contextUrl),
  // Values are escaped for Properties.load (backslashes, separators, non-ASCII), so only
  // control characters, which would come back as line breaks in a credential, are refused.
  fields: (spec, { username, token }) => [
    'gradle.properties',
    [
      ['property prefix', spec.prefix, PROPERTY_KEY_UNSAFE],
      ['context URL', spec.contextUrl],
      ['user name', username, BASIC_USER_UNSAFE],
      ['token', token],
    ],
  ],
  writer: (spec, { username, token }, restore, replaceReferences) => {
    const set = {
      [`${spec.prefix}_user`]: username,
      [`${spec.prefix}_password`]: token,
      [`${spec.prefix}_contextUrl`]: spec.contextUrl,
    };
    return (text) => {
      if (restore !== null && text !== null) {
        const entries = readProperties(text);
        // Properties.load keeps the last of a repeated key: that is the value Gradle read.
        for (const key of Object.keys(set))
          rememberPrevious(
            restore,
            key,
            entries.findLast((e) => e.key === key),
            key === `${spec.prefix}_password`,
          );
      }
      return editProperties(text, { set, replaceReferences });
    };
  },
  remover: (record) => (text) =>
    editProperties(text, putBack(record.restore, keysOf(record.prefix))),
  ownsEntry: (spec, credential) => credential.location === `${spec.prefix}_password`,
  adopt: (credential, instance) => {
    const prefix = /^(.+)_password$/.exec(credential.location)?.[1];
    if (!prefix) return 'not a <prefix>_password property; edit it by hand';
    return {
      target: {
        kind: 'gradle',
        path: credential.file,
        prefix,
        contextUrl: new URL('artifactory', instance.platformUrl).toString(),
      },
      cleanup: null,
    };
  },
};
