import { basename } from 'node:path';
import type { Environment } from '../paths.js';
import type { PublicCredential } from '../scan/credential.js';
import { CREDENTIALS_FILE } from '../scan/terraform.js';
import type { TerraformSpec } from './kinds/terraform-spec.js';

/**
 * What Terraform uses before Artikey's block, one line each with what to do:
 * - a `TF_TOKEN_<host>` variable, which comes before every file (Terraform "CLI Configuration
 *   File", Environment Variable Credentials);
 * - a `terraform login` for the host in credentials.tfrc.json: Terraform reads that file after the
 *   CLI configuration and lets its entries replace the configuration's (seen with Terraform 1.11:
 *   the JSON file's token was sent, not .terraformrc's), except when TF_CLI_CONFIG_FILE (or
 *   TERRAFORM_CONFIG) names the configuration, when it reads no configuration directory at all.
 */
export function terraformLoginsAhead(
  target: TerraformSpec,
  found: PublicCredential[],
  environment: Environment,
): string[] {
  const notes: string[] = [];
  const variable = `TF_TOKEN_${target.host.replace(/-/g, '__').replace(/\./g, '_')}`;
  if ((environment.env[variable] ?? '') !== '')
    notes.push(
      `terraform takes ${variable} from the environment before any file: unset it so Artikey's token for ${target.host} is used.`,
    );
  const overridden = ['TF_CLI_CONFIG_FILE', 'TERRAFORM_CONFIG'].some(
    (name) => (environment.env[name] ?? '') !== '',
  );
  if (overridden) return notes;
  for (const c of found)
    if (
      c.tool === 'terraform' &&
      basename(c.file) === CREDENTIALS_FILE &&
      c.host === target.host.toLowerCase()
    )
      notes.push(
        `terraform uses the token terraform login left in ${c.file}${c.line === null ? '' : ` (line ${String(c.line)})`} instead of Artikey's for ${target.host}: run \`terraform logout ${target.host}\` to take it out.`,
      );
  return notes;
}
