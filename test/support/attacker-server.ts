import { createServer, type IncomingHttpHeaders } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface CapturedRequest {
  method: string;
  path: string;
  headers: IncomingHttpHeaders;
  body: string;
}

export interface AttackerServer {
  /** `http://127.0.0.1:PORT`, no trailing slash. */
  readonly url: string;
  /** `127.0.0.1:PORT`, as messages name a host. */
  readonly host: string;
  /** Everything that arrived, bodies included: whatever a hostile host would keep. */
  readonly captured: CapturedRequest[];
  stop(): Promise<void>;
}

/** A host that is not the instance: it keeps every request whole and answers 200 `{}`. */
export async function startAttackerServer(): Promise<AttackerServer> {
  const captured: CapturedRequest[] = [];
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      captured.push({
        method: req.method ?? '',
        path: req.url ?? '',
        headers: req.headers,
        body: Buffer.concat(chunks).toString('utf8'),
      });
      res.writeHead(200, { 'Content-Type': 'application/json' }).end('{}');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;
  return {
    url: `http://127.0.0.1:${port}`,
    host: `127.0.0.1:${port}`,
    captured,
    stop: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
