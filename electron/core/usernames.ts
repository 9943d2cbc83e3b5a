import { ArtikeyError } from './errors.js';
import { describeCharacter } from './targets/safe-values.js';
import { decodeAccessToken, usernameFromSubject } from './tokens.js';

/**
 * The user names Artikey accepts and writes into tool files: letters and digits of any script
 * plus `.` `_` `-` `@` `+` `\`, 1–255 characters. That covers internal names (`alice`), e-mail
 * style SSO/SAML names (`first.last@company.com`, `svc+ci@corp.example`), LDAP/AD names
 * (`DOMAIN\alice`) and accented names. Sources: the Access token API limits `username` to 255
 * characters (artifactory-api.md); JFrog's Terraform provider validates user names against a
 * short list of symbols (jfrog/terraform-provider-artifactory#794, `+` added in #1007); a token's
 * subject is `…/users/<name>`, so a `/` would not survive it; HTTP Basic, which Docker, Maven,
 * pip and Gradle use, cannot carry a `:` in a user name (RFC 7617). Everything else — spaces,
 * control characters, quotes, `$`, `` ` ``, `;`, `#`, `=` — is refused: no realistic name
 * needs it, and each means something in some file a name is written to.
 */
const ALLOWED = /^[\p{L}\p{M}\p{N}._@+\\-]+$/u;
const MAX_LENGTH = 255;

const refuse = (why: string): never => {
  throw new ArtikeyError('invalid-username', `That user name ${why}.`);
};

export const isUsername = (name: string): boolean =>
  name.length <= MAX_LENGTH && ALLOWED.test(name);

/** The name itself when Artikey may use it; otherwise a clear error that does not echo it. */
export function checkUsername(name: string): string {
  if (name === '') refuse('is empty');
  if (name.length > MAX_LENGTH) refuse(`is longer than ${MAX_LENGTH} characters`);
  if (!ALLOWED.test(name)) {
    const bad = [...name].find((char) => !ALLOWED.test(char)) ?? '';
    refuse(
      `contains ${describeCharacter(bad)}; Artifactory user names are letters, digits and . _ - @ + \\ only`,
    );
  }
  return name;
}

/**
 * A pasted access token names its user (`jfac@…/users/alice`): a user name given with it must
 * be that one (in any case), or tool files would pair one user's name with another's token.
 */
export function checkTokenUser(token: string, name: string): void {
  let subject: string;
  try {
    subject = decodeAccessToken(token).subject;
  } catch {
    return; // Not a JWT (a reference token): the server decides whose it is.
  }
  const owner = usernameFromSubject(subject);
  if (owner === null || owner.toLowerCase() === name.toLowerCase()) return;
  const shown = ALLOWED.test(owner) ? owner : 'another user';
  throw new ArtikeyError(
    'invalid-username',
    `This token belongs to ${shown}, not to the user name given; leave the user name out or give ${shown}.`,
  );
}
