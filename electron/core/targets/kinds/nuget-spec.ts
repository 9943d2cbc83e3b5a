import { isString, type SpecFieldsCheck } from './spec-fields.js';

/**
 * NuGet's user `NuGet.Config`: a package source named `name` for the repository's feed, and its
 * `packageSourceCredentials` with the user name and the token as `ClearTextPassword`. `protocol`
 * says which feed: v3's service index (`protocolVersion="3"`) or the v2 OData feed.
 */
export interface NuGetSpec {
  kind: 'nuget';
  path: string;
  name: string;
  url: string;
  protocol: 'v3' | 'v2';
}

/** The spec read back from the state file (see SpecFieldsCheck: this module loads no writer). */
export const hasNuGetFields: SpecFieldsCheck = (value) =>
  isString(value['name']) &&
  isString(value['url']) &&
  (value['protocol'] === 'v3' || value['protocol'] === 'v2');
