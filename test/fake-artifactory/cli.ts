/**
 * The fake Artifactory on its own, for the demo: `npm run demo` (port 8081 when free) or
 * `npm run fake-artifactory -- --port 0`. Loopback only; every logged request is redacted.
 */
import { parseArgs } from 'node:util';
import { ADMIN_USER, DEMO_USER } from './directory.js';
import { startFakeArtifactory, type FakeArtifactory } from './server.js';

const { values } = parseArgs({ options: { port: { type: 'string' }, demo: { type: 'boolean' }, tls: { type: 'boolean' }, quiet: { type: 'boolean' } } });
const log = (line: string): void => void process.stdout.write(`${line}\n`);

async function start(): Promise<FakeArtifactory> {
  const options = { tls: values.tls === true, ...(values.quiet ? {} : { log: (line: string) => log(`  ${line}`) }) };
  if (values.port !== undefined) {
    const port = Number(values.port);
    if (!Number.isInteger(port) || port < 0 || port > 65_535) throw new Error(`--port needs a number from 0 to 65535, not "${values.port}"`);
    return startFakeArtifactory({ ...options, port });
  }
  if (values.demo) return startFakeArtifactory({ ...options, port: 8081 }).catch(() => startFakeArtifactory(options));
  return startFakeArtifactory(options);
}

const fake = await start().catch((error: unknown) => {
  process.stderr.write(`fake-artifactory: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(2);
});
log(`Fake Artifactory listening on ${fake.url}`);
log(`  Platform URL for Artikey: ${fake.url}/`);
log(`  Demo user:  ${DEMO_USER.name} / ${DEMO_USER.password}`);
log(`  Admin user: ${ADMIN_USER.name} / ${ADMIN_USER.password}`);
log(`  Try:        curl ${fake.tls ? '-k ' : ''}${fake.url}/artifactory/api/system/ping`);
log(`  Log in:     artikey login ${fake.url}   (approve on the page it opens, as ${DEMO_USER.name})`);
if (fake.tls) log('  TLS: the certificate is signed by a private test CA; pass it with --ca-file.');
log('Press Ctrl+C to stop.');

const stop = (): void => {
  void fake.stop().then(() => process.exit(0));
};
process.once('SIGINT', stop);
process.once('SIGTERM', stop);
