import type { KeyObject } from 'node:crypto';
import type { FakeClock } from './clock.js';
import type { FakeConfig } from './config.js';
import type { Directory } from './directory.js';
import type { TokenStore } from './token-store.js';

export type WebLoginSession =
  | { state: 'pending'; createdAt: number; clientName: string | null }
  | { state: 'approved'; createdAt: number; clientName: string | null; username: string; response: Record<string, unknown> }
  | { state: 'consumed'; createdAt: number; clientName: string | null; username: string };

export interface RegistryToken {
  username: string;
  /** The Access scope of the credential the registry token was minted from. */
  scope: string;
  expiresAt: number;
}

/** What every route handler shares: the platform's state and settings. */
export interface FakeState {
  clock: FakeClock;
  config: FakeConfig;
  directory: Directory;
  tokens: TokenStore;
  signing: { privateKey: KeyObject; publicKey: KeyObject; kid: string };
  rootCertificateDer: Buffer;
  accessServiceId: string;
  artifactoryServiceId: string;
  webLoginSessions: Map<string, WebLoginSession>;
  /** Test hook, not the server: the person who approves every browser login as soon as it is registered. */
  browserLoginApprover: string | null;
  registryTokens: Map<string, RegistryToken>;
  /** `http://127.0.0.1:PORT`, no trailing slash. */
  baseUrl: () => string;
  /** `127.0.0.1:PORT`, the Docker registry host name. */
  host: () => string;
}
