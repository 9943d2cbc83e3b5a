import { basename, join } from 'node:path';
import { removeToken, setToken } from '../terraform-credentials.js';
import { invalidOption, type TargetKindDefinition } from './definition.js';
import type { TerraformSpec } from './terraform-spec.js';

/** A host label Terraform can hold: a host name or address with an optional port, nothing to escape. */
const HOST = /^[A-Za-z0-9.-]+(?::\d+)?$/;
/** An HCL quoted string ends at `"`, escapes with `\` and starts a template at `${` or `%{`. */
const HCL_STRING_UNSAFE = /["\\$%]/u;
/** The restore note saying the block was the person's, so removal takes out only the token. */
const PERSON_BLOCK = 'block';

export const terraform: TargetKindDefinition<TerraformSpec> = {
  kind: 'terraform',
  holdsToken: true,
  needsUsername: false,
  secretFormat: 'toml',
  scanTool: 'terraform',
  sameEntry: (a, b) => a.host.toLowerCase() === b.host.toLowerCase(),
  // Terraform "CLI Configuration File": TF_CLI_CONFIG_FILE (TERRAFORM_CONFIG before it), else
  // %APPDATA%\terraform.rc on Windows and ~/.terraformrc elsewhere.
  defaultPath: ({ platform, env, home }) =>
    env['TF_CLI_CONFIG_FILE'] ||
    env['TERRAFORM_CONFIG'] ||
    (platform === 'win32'
      ? join(env['APPDATA'] ?? join(home, 'AppData', 'Roaming'), 'terraform.rc')
      : join(home, '.terraformrc')),
  // Terraform discovers the registry at https://<host>/.well-known/terraform.json, so the block
  // names the host alone, with its port when it is not the default.
  fromRequest: ({ platformUrl, path }) => {
    const host = new URL(platformUrl).host;
    if (!HOST.test(host)) throw invalidOption(`${host} is not a host Terraform can name`);
    return { kind: 'terraform', path, host };
  },
  describe: (spec) => `terraform: credentials "${spec.host}" in ${spec.path}`,
  checkBelongs: (spec, instance) => {
    if (spec.host.toLowerCase() !== instance.platform.host.toLowerCase())
      instance.refuse(`host ${spec.host}`);
  },
  fields: (spec, { token }) => [
    basename(spec.path),
    [
      ['host', spec.host, /[^A-Za-z0-9.:-]/u],
      ['token', token, HCL_STRING_UNSAFE],
    ],
  ],
  writer:
    (spec, { token }, restore) =>
    (text) => {
      const written = setToken(text, spec.host, token);
      if (restore !== null && written.existed && !(PERSON_BLOCK in restore))
        restore[PERSON_BLOCK] = 'kept';
      return written.text;
    },
  remover: (record) => (text) => removeToken(text, record.host, PERSON_BLOCK in record.restore),
  ownsEntry: (spec, credential) =>
    credential.location.toLowerCase() === `credentials "${spec.host}" token`.toLowerCase(),
  adopt: (credential) => {
    if (basename(credential.file) === 'credentials.tfrc.json')
      return `terraform login keeps it; run terraform logout ${credential.host ?? '<host>'}, then artikey configure terraform`;
    const label = /^credentials "(.+)" token$/.exec(credential.location)?.[1];
    if (label === undefined || !HOST.test(label))
      return 'not a credentials block Artikey can take over';
    // Terraform takes "<host>:443" as the host itself; the spec names it as the instance does.
    const host = label.replace(/:443$/, '');
    return { target: { kind: 'terraform', path: credential.file, host }, cleanup: null };
  },
};
