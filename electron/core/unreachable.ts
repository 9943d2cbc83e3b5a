import type { HttpError } from './http.js';

/**
 * Why a server could not be reached, in the few words a status line has room for:
 * "connection refused to 127.0.0.1:8081". The common causes get a short phrase; the rest (TLS,
 * proxies) keep the sentence that says what to do.
 */
export function unreachableReason(error: HttpError, platformUrl: string): string {
  const { host } = new URL(platformUrl);
  switch (error.code) {
    case 'connection-refused':
      return `connection refused to ${host}`;
    case 'timeout':
      return `no answer from ${host} in time (timed out)`;
    case 'connection-reset':
      return `${host} closed the connection before it answered`;
    default: {
      // "The host x could not be found (DNS)." reads as a clause after "unreachable: ".
      const sentence = error.message.replace(/\.$/, '');
      return sentence.replace(/^The /, 'the ');
    }
  }
}
