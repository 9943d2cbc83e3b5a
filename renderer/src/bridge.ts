import type { ArtikeyBridge } from '../../electron/ipc/contract';

/** The preload's bridge, typed from the IPC contract; absent when the page runs outside Artikey. */
export function bridge(): ArtikeyBridge | undefined {
  return (window as Window & { artikey?: ArtikeyBridge }).artikey;
}
