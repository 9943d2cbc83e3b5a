/**
 * The fake Artifactory on its own, for the demo: `npm run demo` (port 8081 when free) or
 * `npm run fake-artifactory -- --port 0`, either as one of the named servers of profiles.ts
 * (`--profile legacy-7.40`). Loopback only; every logged request is redacted.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { FakeClock } from './clock.js';
import { commandLine } from './command-line.js';
import { demoFetches } from './demo-fetches.js';
import { ADMIN_USER, DEMO_USER } from './directory.js';
import { isProfileName, profileNames, type ProfileName } from './profiles.js';
import { startFakeArtifactory, type FakeArtifactory } from './server.js';
import { supports } from './versions.js';

const USAGE = `Usage: npm run fake-artifactory -- [--port N] [--tls] [--quiet] [--profile NAME]
       npm run demo [-- --port N] [--tls] [--profile NAME]

  --port N        listen on 127.0.0.1:N (0 picks a free port; default 0, or 8081 with --demo when free)
  --tls           serve HTTPS with a private test CA (its PEM file is printed)
  --quiet         do not log requests
  --demo          prefer port 8081
  --profile NAME  play one of the named servers: ${profileNames.join(', ')} (default: default)`;

const log = (line: string): void => void process.stdout.write(`${line}\n`);
const fail = (message: string): never => {
  process.stderr.write(`fake-artifactory: ${message}\n`);
  process.exit(2);
};

function options(): { port: number | undefined; demo: boolean; tls: boolean; quiet: boolean; profile: ProfileName } {
  const { values, port, positionals } = commandLine(
    { demo: { type: 'boolean' }, tls: { type: 'boolean' }, quiet: { type: 'boolean' }, profile: { type: 'string' } },
    USAGE,
    fail,
    { positionals: true },
  );
  return {
    port,
    demo: values.demo === true,
    tls: values.tls === true,
    quiet: values.quiet === true,
    profile: profileOf(values.profile, positionals),
  };
}

/**
 * `--profile NAME`, or what npm made of it: `npm run demo --profile=NAME` arrives as
 * npm_config_profile=NAME, and `npm run demo --profile NAME` as npm_config_profile=true with NAME
 * left over as an argument.
 */
function profileOf(option: string | undefined, positionals: string[]): ProfileName {
  const fromNpm = process.env['npm_config_profile'];
  const leftOver = fromNpm === 'true' && positionals.length === 1 ? positionals[0] : undefined;
  if (positionals.length > 0 && leftOver === undefined) fail(`unexpected argument "${positionals.join(' ')}"\n${USAGE}`);
  const name = option ?? leftOver ?? (fromNpm && fromNpm !== 'true' ? fromNpm : 'default');
  if (!isProfileName(name)) return fail(`unknown profile "${name}"; known profiles: ${profileNames.join(', ')}`);
  return name;
}

async function start(): Promise<FakeArtifactory> {
  const { port, demo, tls, quiet, profile } = options();
  // The wall clock: tokens the demo issues expire for real.
  const base = {
    clock: new FakeClock(),
    profile,
    tls,
    ...(quiet ? {} : { log: (line: string) => log(`  ${line}`) }),
  };
  if (port !== undefined) return startFakeArtifactory({ ...base, port });
  if (demo) {
    return startFakeArtifactory({ ...base, port: 8081 }).catch((error: NodeJS.ErrnoException) => {
      if (error.code !== 'EADDRINUSE' && error.code !== 'EACCES') throw error;
      log('Port 8081 is taken; using a free port instead.');
      return startFakeArtifactory({ ...base, port: 0 });
    });
  }
  return startFakeArtifactory({ ...base, port: 0 });
}

const fake = await start().catch((error: unknown) =>
  fail(error instanceof Error ? error.message : String(error)),
);

// Over TLS, people and curl need the CA as a file; before browser login, the demo user needs a token.
const browserLogin = supports(fake.config, 'browserLogin');
let scratch: string | undefined;
const scratchFile = (name: string, content: string, mode: number): string => {
  scratch ??= mkdtempSync(join(tmpdir(), 'fake-artifactory-'));
  const file = join(scratch, name);
  writeFileSync(file, content, { mode });
  return file;
};
const caFile = fake.tls ? scratchFile('ca.pem', fake.tls.caPem, 0o644) : undefined;
// What the person would generate on the profile page of a server that predates browser login.
const tokenFile = browserLogin
  ? undefined
  : scratchFile(
      `${DEMO_USER.name}.token`,
      fake.issueToken({ username: DEMO_USER.name, scope: 'applied-permissions/user', expiresIn: fake.config.defaultExpirySeconds, refreshable: false }).jwt,
      0o600,
    );

log(`Fake Artifactory listening on ${fake.url} (loopback only)`);
log(`  Profile:    ${fake.profile} (Artifactory ${fake.config.artifactoryVersion}; see test/fake-artifactory/profiles.ts)`);
log(`  Platform URL for Artikey: ${fake.url}/`);
log(`  Demo user:  ${DEMO_USER.name} / ${DEMO_USER.password}`);
log(`  Admin user: ${ADMIN_USER.name} / ${ADMIN_USER.password}`);
log(
  `  Try:        curl ${caFile ? `--cacert ${caFile} ` : ''}${fake.url}/artifactory/api/system/ping`,
);
const caOption = caFile ? ` --ca-file ${caFile}` : '';
if (tokenFile) {
  log(`  Log in:     artikey login ${fake.url} --token${caOption} < ${tokenFile}`);
  log(
    `              Artifactory ${fake.config.artifactoryVersion} predates browser login (7.64.0); that file holds a token of ${DEMO_USER.name}'s,`,
  );
  log('              as its profile page would generate, which Artikey trades for a refreshable one.');
} else {
  log(`  Log in:     artikey login ${fake.url}${caOption}`);
  log(
    '              and approve on the page Artikey opens in your browser (with --no-browser, open the',
  );
  log(
    `              ${fake.url}/ui/login?jfClientSession=… link it prints): sign in as ${DEMO_USER.name}`,
  );
  log('              and enter the 4-character code Artikey shows.');
}
if (caFile) log(`  TLS:        the certificate is signed by a private test CA, saved in ${caFile}`);
log(
  '  Fetch:      after logging in, each with the real client (README "The server and the command line"):',
);
for (const { what, configure, fetch } of demoFetches(fake)) {
  log(`    ${what}`);
  for (const command of [configure, ...fetch]) log(`      ${command}`);
}
if (caFile) {
  log(
    `              (npm, pip and Maven trust ${caFile} only when told: npm --cafile, pip --cert)`,
  );
}
log('Requests are logged below with every secret redacted. Press Ctrl+C to stop.');

let stopping = false;
const stop = (reason: string): void => {
  if (stopping) return;
  stopping = true;
  void fake.stop().then(() => {
    if (scratch) rmSync(scratch, { recursive: true, force: true });
    log(`Stopped (${reason}).`);
    process.exit(0);
  });
};
process.on('SIGINT', stop);
process.on('SIGTERM', stop);

// `kill <npm's pid>` reaches npm alone: npm passes the signal to the shell it ran the script in,
// which dies without passing it on. Either way the process that started this one is gone and this
// one was handed to another parent: stop as if told to, rather than keep the port taken.
const parent = process.ppid;
setInterval(() => {
  if (process.ppid !== parent) stop('the process that started it ended');
}, 250).unref();
