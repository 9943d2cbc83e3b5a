import type { FakeConfig } from './config.js';

/**
 * Named servers to run Artikey against, each a partial override of `defaultConfig()`: a knob a
 * profile does not name keeps its default, so knobs added later fall in place. The default profile
 * is the strict default configuration itself.
 */
export const profiles = {
  default: {},
  /**
   * A JFrog SaaS instance as created: a current 7.1xx release (the vault plugin's issue #286
   * reports 7.117.14 in 2025), and no token creation with Basic user:password until an admin
   * enables "token generation via API" (docs.jfrog.com "Create Token": "If you use basic
   * credentials, you must enable creation of tokens in the JFrog Platform UI"; KB 000006692
   * "Unsupported authentication method Basic"). The refresh grace stays whatever its knob says.
   */
  'saas-default': {
    artifactoryVersion: '7.117.14',
    allowBasicAuthTokenCreation: false,
  },
  /**
   * A self-hosted 7.64 whose admin enabled token generation via the API: every part of the API
   * Artikey uses exists (browser login arrived in 7.64.0, Basic token creation in 7.63.2).
   */
  'self-hosted-7.64': {
    artifactoryVersion: '7.64.2',
    allowBasicAuthTokenCreation: true,
  },
  /**
   * A 7.40 server: the version alone takes away browser login (7.64.0), the refresh grace
   * (7.59.5), `/tokens/me` (7.53.1) and Basic token creation (7.63.2); see versions.ts.
   */
  'legacy-7.40': {
    artifactoryVersion: '7.40.2',
  },
} satisfies Record<string, Partial<FakeConfig>>;

export type ProfileName = keyof typeof profiles;

export const profileNames = Object.keys(profiles) as ProfileName[];

export function isProfileName(name: string): name is ProfileName {
  return Object.hasOwn(profiles, name);
}

/** A profile's overrides by name; an unknown name is an error that lists the known ones. */
export function profileOverrides(name: string): Partial<FakeConfig> {
  if (!isProfileName(name)) throw new Error(`unknown profile "${name}"; known profiles: ${profileNames.join(', ')}`);
  return profiles[name];
}
