import { ArtikeyError } from '../../errors.js';
import type { Environment } from '../../paths.js';
import type { FoundCredential, ScanTool } from '../../scan/credential.js';
import type { Field } from '../safe-values.js';
import type { SecretFormat } from '../secret-redaction.js';
import type { TargetCredentials, TargetNotes, TargetSpec } from '../target-record.js';

/** What every kind's spec has: which kind, and the file it writes. */
export interface SpecBase {
  kind: string;
  path: string;
}

/** A spec as the state file records it, with the notes about its writes. */
export type RecordOf<S extends SpecBase> = S & TargetNotes;

/** Turns a file's text (null: no file yet) into the text to write. */
export type Edit = (text: string | null) => string;

/** What a person says about the entry: the CLI's options, the app's form. */
export interface ConfigureOptions {
  repo?: string | undefined;
  file?: string | undefined;
  hosts?: string[] | undefined;
  auths?: boolean | undefined;
  scope?: string | undefined;
  setRegistry?: boolean | undefined;
  serverId?: string | undefined;
  mirror?: string | undefined;
  prefix?: string | undefined;
  section?: string | undefined;
  registryName?: string | undefined;
  /** Helm: the repository name (`helm repo add <name>`). */
  name?: string | undefined;
  noSumDb?: string | undefined;
  goPrivate?: string | undefined;
  sourceName?: string | undefined;
  protocol?: string | undefined;
  makeDefault?: boolean | undefined;
  remoteName?: string | undefined;
}

/** A configure request, with what every kind derives its spec from already worked out. */
export interface TargetRequest {
  options: ConfigureOptions;
  platformUrl: string;
  /** The instance's name as people gave it (null where the caller has none). */
  instanceName: string | null;
  /** `<platform URL>artifactory/`, with the trailing slash. */
  artifactoryUrl: string;
  /** `--file`, else the kind's default file in this environment. */
  path: string;
  /** The `--repo` key, checked; throws an actionable error naming `purpose` when there is none. */
  repo(purpose: string): string;
  /** Where the person's tools read their files: a kind may write beside its own (Go's and uv's credentials go to .netrc) or look at the tool's settings first (the JFrog CLI's encryption key). */
  environment: Environment;
}

/** The instance a spec must belong to, and the refusals every kind words the same way. */
export interface Belonging {
  instanceName: string;
  platform: URL;
  /** Throws `invalid-target` naming `what` as not on the instance. */
  refuse(what: string): never;
  /** Throws unless `url` has the instance's scheme and host[:port]. */
  sameHost(url: string): void;
}

/**
 * The other plain-text copies of a credential migrate replaced, which go once Artikey's entry is
 * in: data the adopting kind makes and takes out, shown in the plan (`artikey migrate --json`).
 */
export interface Cleanup {
  kind: string;
  path: string;
}

/**
 * Everything Artikey knows about one kind of target: each kind is one module in this folder
 * exporting one of these, listed in target-kinds.ts; the shared code dispatches through it.
 */
export interface TargetKindDefinition<S extends SpecBase, C extends Cleanup = never> {
  kind: S['kind'];
  /** The file holds a copy of the token, so every refresh rewrites it. */
  holdsToken: boolean;
  /** The tool sends Basic user:token, so the instance's user name must be known. */
  needsUsername: boolean;
  /** How previews redact the file's other secrets. */
  secretFormat: SecretFormat;
  /** The scan reader of this kind's files. */
  scanTool: ScanTool;

  /** Two specs of this kind and file name the same entry. */
  sameEntry(a: S, b: S): boolean;
  /** Where the tool reads its user configuration, honouring the tool's own overrides. */
  defaultPath(environment: Environment): string;
  /** The spec a configure request asks for, with the defaults JFrog's own setup uses. */
  fromRequest(request: TargetRequest): S;
  /** One line for people. */
  describe(spec: S): string;
  /** A token only ever goes to its own server: throws unless every URL and host of the spec is the instance's. */
  checkBelongs(spec: S, instance: Belonging): void;

  /** Every value the writer puts in the file, named as the person knows it, with what the format cannot hold. */
  fields(spec: S, credentials: TargetCredentials): [file: string, fields: Field[]];
  /**
   * The edit writing the entry. `restore` receives, through `rememberPrevious`, what each setting
   * held before Artikey's first write (null on a rewrite: the file then holds Artikey's own values).
   */
  writer(
    spec: S,
    credentials: TargetCredentials,
    restore: Record<string, string> | null,
    replaceReferences: boolean,
  ): Edit;
  /** The edit taking out exactly what the writer wrote, putting back what `restore` noted. */
  remover(record: RecordOf<S>): (text: string) => string;

  /** A credential the scan found lies at the place this spec's writer puts the token (file and tool already match). */
  ownsEntry(spec: S, credential: FoundCredential): boolean;
  /**
   * For the kind that takes over its scan tool's plain-text credentials in migrate: the entry
   * replacing `credential`, or why it cannot be replaced.
   */
  adopt?(
    credential: FoundCredential,
    instance: { platformUrl: string; environment?: Environment },
  ): { target: S; cleanup: C | null } | string;
  /**
   * The entry of another file this one needs (Cargo's registry in config.toml beside its token in
   * credentials.toml): written first, recorded as a target of its own, removed with it (its kind is
   * the same tool's), and taken out again when this entry cannot be written.
   */
  companion?(spec: S): TargetSpec;
  /** Takes out what a cleanup `adopt` made names; `secret`: the file still holds a secret after. */
  cleanup?: { kind: C['kind']; secret: boolean; edit(text: string, cleanup: C): string };
}

/** A configure option that makes no entry: the person is told which and why. */
export const invalidOption = (message: string): ArtikeyError =>
  new ArtikeyError('invalid-option', message);
