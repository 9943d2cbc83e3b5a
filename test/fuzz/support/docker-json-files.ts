/**
 * Docker's config.json and the containers auth.json as people's machines hold them, for
 * test/fuzz/docker-config.suite.ts: other registries' logins (look-alike hosts, `https://` and
 * `/v1/` forms, Docker Hub's names), other credential helpers, a credsStore, the fields Docker
 * knows with the types it decodes, unknown fields holding anything, duplicate sections and keys,
 * escaped spellings, and every layout. The Go oracle must be able to read every file made here
 * (an unreadable `auth` would make Docker refuse the whole file), so values of known fields
 * have Docker's types.
 */
import fc from 'fast-check';
import {
  anyValue,
  edgeSpace,
  foldedVariant,
  junkKey,
  layout,
  member,
  object,
  raw,
  render,
  spelling,
  stringText,
  array,
  type JsonNode,
} from './json-arbitraries.js';
import { lookalikeHost, matching } from './text-arbitraries.js';

/** A secret planted in another entry: each is unique, so a search for it finds only its own place. */
export const plantedSecret = (): fc.Arbitrary<string> =>
  fc
    .tuple(fc.nat(), fc.string({ unit: 'grapheme-ascii', minLength: 0, maxLength: 6 }))
    .map(([n, tail]) => `planted-${n.toString(36)}-${tail.replace(/[{}]/g, '')}`);

export const basic = (user: string, secret: string): string =>
  Buffer.from(`${user}:${secret}`).toString('base64');

/** A user name Docker's `auth` decoding takes: not empty, no colon. */
const userName = (): fc.Arbitrary<string> =>
  fc.oneof(
    matching(/^[a-z][a-z0-9._@-]{0,10}$/),
    fc.constantFrom('_json_key', 'AWS', 'oauth2accesstoken', 'ünï'),
  );

export interface Planted {
  node: JsonNode;
  /** Secrets it holds, for the token and migrate properties. */
  secrets: string[];
}

/** One auths entry holding a login: `auth`, or username/password, an identity token, an email. */
export const loginEntry = (): fc.Arbitrary<Planted> =>
  fc
    .record({
      user: userName(),
      secret: plantedSecret(),
      form: fc.constantFrom('auth', 'auth', 'separate', 'identitytoken'),
      email: fc.option(stringText(), { nil: undefined }),
    })
    .map(({ user, secret, form, email }) => {
      const members: [string, JsonNode][] = [];
      if (form === 'auth') members.push(member(spelling('auth'), raw(`"${basic(user, secret)}"`)));
      if (form === 'separate')
        members.push(
          member(spelling('username'), raw(spelling(user))),
          member(spelling('password'), raw(spelling(secret))),
        );
      if (form === 'identitytoken')
        members.push(member(spelling('identitytoken'), raw(spelling(secret))));
      if (email !== undefined) members.push(member(spelling('email'), raw(spelling(email))));
      return { node: object(members), secrets: [secret] };
    });

/** An auths entry with no credential: the `{}` a credsStore login leaves, or only an email. */
export const markerEntry = (): fc.Arbitrary<Planted> =>
  fc.oneof(
    fc.constant<Planted>({ node: object([]), secrets: [] }),
    stringText().map((value) => ({
      node: object([member(spelling('email'), raw(spelling(value)))]),
      secrets: [],
    })),
  );

/** Registry keys that are not one of `own`, though they look like one. */
export const otherRegistry = (own: string[]): fc.Arbitrary<string> => {
  const [host, port] = splitHost(own[0]!);
  return fc
    .oneof(
      lookalikeHost(host, port),
      fc.constantFrom(
        `https://${own[0]}`,
        `http://${own[0]}/v2/`,
        `${own[0]}/`,
        `https://${own[0]}/v1/`,
        'https://index.docker.io/v1/',
        'index.docker.io',
        'docker.io',
        'registry-1.docker.io',
        'ghcr.io',
        'gcr.io',
        '123456789012.dkr.ecr.us-east-1.amazonaws.com',
        'localhost:5000',
      ),
    )
    .filter((key) => !own.includes(key));
};

export const splitHost = (hostPort: string): [string, number | null] => {
  const match = /^(.*):(\d+)$/.exec(hostPort);
  return match ? [match[1]!, Number(match[2])] : [hostPort, null];
};

const helperName = (): fc.Arbitrary<string> =>
  fc.constantFrom('desktop', 'ecr-login', 'gcloud', 'osxkeychain', 'pass', 'secretservice');

/** What the generator put in for the instance's own hosts. */
export interface OwnEntries {
  /** In auths: 'none', a credential-free marker, or a login (its secrets planted). */
  auths: 'none' | 'marker' | 'login';
  /** In credHelpers: another helper's name for an own host. */
  otherHelper: boolean;
}

export interface DockerFile {
  text: string;
  /** Every secret planted in the file. */
  secrets: string[];
  /** A key Docker folds to auths/credHelpers/credsStore spelt otherwise: Artikey refuses the file. */
  goSpelling: boolean;
  /** A non-empty credsStore at top level. */
  credsStore: boolean;
}

export interface DockerFileOptions {
  /** The instance's hosts as the spec names them. */
  own: string[];
  /** What an own host may have in auths. */
  ownAuths: OwnEntries['auths'][];
  /** Whether another helper may be named for an own host. */
  ownHelper: boolean;
  /** Whether a credsStore may be set ('rare': in few files, where it makes the edit refused). */
  credsStore: boolean | 'rare';
  /** Whether keys spelt the Go way (`Auths`) may appear. */
  goSpellings: boolean;
  /** Registry keys of the instance one of which surely holds a login (a last auths section). */
  ownLoginKeys?: string[];
}

/** A section `{key: value}` with each key spelt any way, duplicates included. */
const section = (entries: [string, Planted][]): Planted => ({
  node: object(entries.map(([key, planted]) => member(spelling(key), planted.node))),
  secrets: entries.flatMap(([, planted]) => planted.secrets),
});

/** The auths section(s): other registries, and what `options.ownAuths` allows for own hosts. */
const authsEntries = (options: DockerFileOptions): fc.Arbitrary<[string, Planted][]> =>
  fc
    .tuple(
      fc.array(fc.tuple(otherRegistry(options.own), fc.oneof(loginEntry(), markerEntry())), {
        maxLength: 5,
      }),
      fc.array(
        fc.tuple(
          fc.constantFrom(...options.own),
          fc
            .constantFrom(...options.ownAuths)
            .chain((form) =>
              form === 'login'
                ? loginEntry()
                : form === 'marker'
                  ? markerEntry()
                  : fc.constant(null),
            ),
        ),
        { maxLength: 3 },
      ),
      fc.nat(),
    )
    .map(([others, own, seed]) => {
      const entries: [string, Planted][] = [...others];
      for (const [host, planted] of own) if (planted !== null) entries.push([host, planted]);
      return rotate(entries, seed);
    });

const helperEntries = (options: DockerFileOptions): fc.Arbitrary<[string, Planted][]> =>
  fc
    .tuple(
      fc.array(fc.tuple(otherRegistry(options.own), helperName()), { maxLength: 4 }),
      options.ownHelper
        ? fc.array(fc.tuple(fc.constantFrom(...options.own), helperName()), { maxLength: 2 })
        : fc.constant([]),
      fc.nat(),
    )
    .map(([others, own, seed]) =>
      rotate(
        [...others, ...own].map(([host, name]): [string, Planted] => [
          host,
          { node: raw(JSON.stringify(name)), secrets: [] },
        ]),
        seed,
      ),
    );

const rotate = <T>(items: T[], seed: number): T[] => {
  if (items.length === 0) return items;
  const k = seed % items.length;
  return [...items.slice(k), ...items.slice(0, k)];
};

/** Fields Docker knows, with the types it decodes them into. */
const knownField = (): fc.Arbitrary<[string, JsonNode]> =>
  fc.oneof(
    fc
      .tuple(
        fc.constantFrom('currentContext', 'psFormat', 'detachKeys', 'experimental'),
        stringText().map(spelling),
      )
      .map(([key, value]): [string, JsonNode] => [JSON.stringify(key), raw(value)]),
    fc
      .tuple(stringText().map(spelling), stringText().map(spelling))
      .map(([proxy, value]): [string, JsonNode] => [
        '"proxies"',
        object([
          member(
            '"default"',
            object([member(proxy.length > 2 ? '"httpProxy"' : '"noProxy"', raw(value))]),
          ),
        ]),
      ]),
    fc
      .array(stringText().map(spelling), { maxLength: 3 })
      .map((filters): [string, JsonNode] => ['"pruneFilters"', array(filters.map(raw))]),
    fc
      .tuple(stringText().map(spelling), stringText().map(spelling))
      .map(([k, v]): [string, JsonNode] => [
        '"plugins"',
        object([member('"buildx"', object([member(k, raw(v))]))]),
      ]),
  );

/** A config.json (or auth.json) with what `options` allows for the instance's own hosts. */
export const dockerFile = (options: DockerFileOptions): fc.Arbitrary<DockerFile> =>
  fc
    .record({
      auths: fc.array(authsEntries(options).map(section), { maxLength: 2 }),
      helpers: fc.array(helperEntries(options).map(section), { maxLength: 2 }),
      authsKey: fc.constantFrom('"auths"', '"\\u0061uths"', '"auth\\u0073"'),
      helpersKey: fc.constantFrom('"credHelpers"', '"cred\\u0048elpers"', '"credHelpers"'),
      store: options.credsStore
        ? fc.option(fc.constantFrom('desktop', '', 'pass', 'osxkeychain'), {
            nil: undefined,
            freq: options.credsStore === 'rare' ? 1 : 5,
          })
        : fc.constant(undefined),
      known: fc.array(knownField(), { maxLength: 3 }),
      junk: fc.array(fc.tuple(junkKey(), anyValue()), { maxLength: 4 }),
      duplicateJunk: fc.boolean(),
      folded: options.goSpellings
        ? fc.option(
            fc
              .constantFrom('auths', 'credHelpers', 'credsStore')
              .chain((name) =>
                fc.tuple(
                  foldedVariant(name),
                  fc.constant(
                    name === 'auths'
                      ? object([member(JSON.stringify(options.own[0]), object([]))])
                      : name === 'credHelpers'
                        ? object([member(JSON.stringify(options.own[0]), raw('"desktop"'))])
                        : raw('"desktop"'),
                  ),
                ),
              ),
            { freq: 4, nil: undefined },
          )
        : fc.constant(undefined),
      order: fc.nat(),
      layout: layout(),
      lead: edgeSpace(),
      trail: edgeSpace(),
      emptyRoot: fc.nat({ max: 30 }),
      ownLogin: options.ownLoginKeys
        ? fc
            .tuple(fc.constantFrom(...options.ownLoginKeys), loginEntry())
            .map((entry) => section([entry]))
            .map((s) => s as Planted | undefined)
        : fc.constant(undefined),
    })
    .map((f) => {
      const members: [string, JsonNode][] = [
        ...f.auths.map((s) => member(f.authsKey, s.node)),
        ...f.helpers.map((s) => member(f.helpersKey, s.node)),
        ...(f.store === undefined ? [] : [member('"credsStore"', raw(JSON.stringify(f.store)))]),
        ...f.known,
        ...f.junk,
        ...(f.duplicateJunk && f.junk[0] ? [f.junk[0]] : []),
        ...(f.folded ? [f.folded] : []),
      ];
      const ordered = f.emptyRoot === 0 ? [] : rotate(members, f.order);
      if (f.ownLogin) ordered.push(member(f.authsKey, f.ownLogin.node));
      return {
        text: f.lead + render(object(ordered), f.layout) + f.trail,
        secrets: [...f.auths, ...(f.ownLogin ? [f.ownLogin] : [])].flatMap((s) => s.secrets),
        goSpelling: f.emptyRoot !== 0 && f.folded !== undefined,
        credsStore: f.emptyRoot !== 0 && f.store !== undefined && f.store !== '',
      };
    });
