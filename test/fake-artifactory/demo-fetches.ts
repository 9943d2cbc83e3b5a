import { fileURLToPath } from 'node:url';
import { IMAGES, TAGS } from './routes/docker.js';

/** The demo's Maven project, whose parent POM only the fake serves. */
export const DEMO_POM = fileURLToPath(new URL('demo/pom.xml', import.meta.url));

export interface DemoFetch {
  /** What it is and its name, e.g. `Docker image docker-local/app:1.0`. */
  what: string;
  /** The `artikey configure …` that writes the client's credentials. */
  configure: string;
  /** The real client's command that fetches it with those credentials. */
  fetch: string[];
}

/**
 * What the demo server serves and the real clients' commands that fetch it once `artikey login`
 * and the `configure` shown have run: the banner prints them, and the README's demo block runs the
 * same ones against 127.0.0.1:8081. `--insecure` and `--tls-verify=false` let docker and skopeo
 * use plain HTTP or the demo's private CA; the repositories are the ones directory.ts creates.
 */
export function demoFetches(server: { url: string; host: string }): DemoFetch[] {
  const image = `docker-local/${IMAGES[0] ?? ''}:${TAGS[0] ?? ''}`;
  return [
    {
      what: `Docker image ${image}`,
      configure: `artikey configure docker ${server.host}`,
      fetch: [
        `docker manifest inspect --insecure ${server.host}/${image}`,
        `skopeo inspect --tls-verify=false docker://${server.host}/${image}`,
      ],
    },
    {
      what: 'npm package artikey-demo 1.0.0',
      configure: `artikey configure npm ${server.host} --repo npm-virtual`,
      fetch: [`npm view artikey-demo --registry ${server.url}/artifactory/api/npm/npm-virtual/`],
    },
    {
      what: 'Maven parent com.example:fake-parent:1.0',
      configure: `artikey configure maven ${server.host} --repo libs-release`,
      fetch: [`mvn -B validate -f ${DEMO_POM}`],
    },
    {
      what: 'PyPI package fakepkg 1.0',
      configure: `artikey configure pip ${server.host} --repo pypi-virtual`,
      fetch: ['pip download fakepkg==1.0 --no-deps --no-input -d ~/Downloads'],
    },
  ];
}
