import { AccessError, type Credentials } from '../access.js';
import type { FoundCredential } from '../scan/credential.js';
import type { InstanceRecord } from '../state.js';
import type { Services } from './services.js';

/**
 * Whether the instance's server still accepts a credential found in a file: 'no' only when it
 * refuses it, 'unknown' when it cannot say. Only ever asked of the instance the credential
 * belongs to: a secret never goes to a host Artikey did not log in to.
 */
export async function credentialWorks(s: Services, instance: InstanceRecord, credential: FoundCredential): Promise<'yes' | 'no' | 'unknown'> {
  const username = credential.username ?? instance.username;
  let credentials: Credentials;
  if (credential.kind === 'access-token' || credential.kind === 'reference-token') credentials = { kind: 'bearer', token: credential.secret };
  else if (credential.kind === 'api-key') credentials = username ? { kind: 'basic', username, password: credential.secret } : { kind: 'api-key', key: credential.secret };
  else if (credential.kind === 'password' && username) credentials = { kind: 'basic', username, password: credential.secret };
  else return 'unknown';
  try {
    await (await s.client(instance)).apiKey(credentials);
    return 'yes';
  } catch (error) {
    return error instanceof AccessError && (error.code === 'unauthorized' || error.code === 'forbidden') ? 'no' : 'unknown';
  }
}
