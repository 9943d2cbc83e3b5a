import { registryHostOf } from '../docker-hosts.js';
import { DOCKER_MARGIN_SECONDS, instanceForRegistry } from '../docker-lookup.js';
import { ArtikeyError } from '../errors.js';
import type { InstanceView } from '../instance-view.js';
import type { Refreshes } from './refresh.js';
import type { Services } from './services.js';

/** What Docker's credential helper asks: which instance serves a registry host, and its credentials. */
export class DockerAccess {
  constructor(
    private readonly s: Services,
    private readonly refreshes: Refreshes,
  ) {}

  /**
   * What `docker-credential-artikey get` answers for a registry host: the instance's real user
   * name and a currently valid token (refreshed first when it is about to expire). Null for
   * hosts that belong to no instance.
   */
  async credentials(server: string): Promise<{ instance: string; username: string; secret: string } | null> {
    const record = instanceForRegistry((await this.s.state.load()).instances, server);
    if (!record) return null;
    if (!record.username) {
      throw new ArtikeyError('username-required', `Artikey does not know the user name for ${record.name}; log in again with --user.`);
    }
    return { instance: record.id, username: record.username, secret: await this.refreshes.accessToken(record.id, DOCKER_MARGIN_SECONDS) };
  }

  /** The instance that answers for a Docker registry host, if any. */
  async instance(server: string): Promise<InstanceView | null> {
    const state = await this.s.state.load();
    const record = instanceForRegistry(state.instances, server);
    return record ? this.s.view(record, state) : null;
  }

  /** Registry hosts Docker should ask Artikey about: one per instance. */
  async hosts(): Promise<{ host: string; username: string | null }[]> {
    return (await this.s.state.load()).instances.flatMap((i) => {
      const hosts = new Set([registryHostOf(i.platformUrl), ...i.targets.flatMap((t) => (t.kind === 'docker-helper' || t.kind === 'podman' ? t.hosts : []))]);
      return [...hosts].map((host) => ({ host, username: i.username }));
    });
  }
}
