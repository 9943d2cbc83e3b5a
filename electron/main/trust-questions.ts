import type { Confirmation } from './dialogs.js';

/**
 * What main asks before it widens trust on the page's behalf. Each question names the
 * instance's host, so a page that asks for the wrong instance is caught by the person.
 */
export const trustQuestions = {
  reveal: (host: string, username: string | null): Confirmation => ({
    message: `Show the token for ${host}?`,
    detail: `Anyone who sees it can use Artifactory as ${username ?? 'you'} until it expires. To paste it somewhere, Copy token is safer: the clipboard is cleared automatically.`,
    confirm: 'Show token',
  }),
  trustCaFile: (host: string, file: string): Confirmation => ({
    message: `Trust this CA bundle for ${host}?`,
    detail: `${file}\n\nArtikey will accept any certificate these authorities issued as ${host}. Choose only a bundle your organisation gave you.`,
    confirm: 'Trust it',
  }),
  clearCaFile: (host: string): Confirmation => ({
    message: `Stop trusting the CA bundle for ${host}?`,
    detail: `Artikey goes back to the system's certificate authorities alone; if ${host} uses a company CA, it cannot be reached until you choose the bundle again.`,
    confirm: 'Stop trusting it',
  }),
  useProxy: (host: string, proxy: string, plainHttp: boolean): Confirmation => ({
    message: `Send ${host}'s traffic through the proxy ${new URL(proxy).host}?`,
    detail: `Every request Artikey makes to ${host}, tokens included, goes through ${proxy}. ${
      plainHttp
        ? `${host} uses plain http://, so the proxy can read the tokens.`
        : 'Over https:// the proxy sees which host Artikey talks to, not the tokens.'
    }`,
    confirm: 'Use the proxy',
  }),
  deleteBackup: (path: string, of: string, holds: string): Confirmation => ({
    message: `Delete this backup of ${of}?`,
    detail: `${path}\n\nIt holds ${holds}. It is the only copy of what the file held before Artikey changed it; deleted, it cannot be brought back.`,
    confirm: 'Delete backup',
  }),
  deleteDeadBackups: (): Confirmation => ({
    message: 'Let Artikey delete backups by itself?',
    detail:
      'Once Artikey revokes or replaces a token, it deletes the backups of your tool files whose every secret is then dead (revoked, replaced or expired). A backup holding anything else, or nothing Artikey can judge, stays.',
    confirm: 'Delete them by itself',
  }),
  clearProxy: (host: string): Confirmation => ({
    message: `Stop using the proxy for ${host}?`,
    detail: `Artikey then reaches ${host} directly, or through the proxy the environment names (HTTPS_PROXY).`,
    confirm: 'Stop using it',
  }),
};
