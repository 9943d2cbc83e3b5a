import { shell } from 'electron';
import { ArtikeyError } from '../core/errors.js';
import { isAllowedExternalUrl } from './web-policy.js';

/**
 * The app's only way into the system browser: every caller has checked the address already,
 * and it is checked here again against the instances it may belong to, so no path (a page, a
 * notification, a tray item, a server's answer) can open anything else.
 */
export async function openInBrowser(url: string, instanceUrls: string[]): Promise<void> {
  if (!isAllowedExternalUrl(url, instanceUrls))
    throw new ArtikeyError(
      'invalid-address',
      `Not opening ${url}: it is not an instance's own address.`,
    );
  await shell.openExternal(url, { activate: true }); // eng-disable OPEN_EXTERNAL_JS_CHECK: checked above
}
