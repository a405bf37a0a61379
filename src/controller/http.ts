// The controller's HTTP endpoints: /healthz (the process serves), /readyz (a reconcile has
// succeeded), /metrics (Prometheus text), /status (JSON conditions, revisions, drift).
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Controller } from './loop.js';
import type { ControllerMetrics } from './metrics.js';
import { escapeControl, escapeJsonText } from '../model/escape.js';

export interface StatusServer {
  readonly url: string;
  close(): Promise<void>;
}

export async function startStatusServer(props: { host: string; port: number; controller: Controller; metrics: ControllerMetrics }): Promise<StatusServer> {
  const server: Server = createServer((req, res) => {
    const path = (req.url ?? '/').split('?')[0];
    const send = (status: number, type: string, body: string): void => {
      res.writeHead(status, { 'content-type': type, 'cache-control': 'no-store' });
      res.end(body);
    };
    if (req.method !== 'GET' && req.method !== 'HEAD') return send(405, 'text/plain', 'method not allowed\n');
    switch (path) {
      case '/healthz':
        return send(200, 'text/plain', 'ok\n');
      case '/readyz':
        return props.controller.ready() ? send(200, 'text/plain', 'ready\n') : send(503, 'text/plain', 'not ready: no successful reconcile yet\n');
      case '/metrics':
        props.metrics.registry.metrics().then(
          (text) => send(200, props.metrics.registry.contentType, text),
          (err: Error) => send(500, 'text/plain', `${escapeControl(err.message)}\n`),
        );
        return;
      case '/status':
        // Names and AWS errors inside: C1 and bidi characters as \u escapes, so `curl /status` is safe on a terminal.
        return send(200, 'application/json', `${escapeJsonText(JSON.stringify(props.controller.status(), null, 2))}\n`);
      default:
        return send(404, 'text/plain', 'not found; try /healthz /readyz /metrics /status\n');
    }
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(props.port, props.host, () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  const host = props.host.includes(':') ? `[${props.host}]` : props.host;
  return {
    url: `http://${host}:${port}`,
    close: () => new Promise<void>((resolve) => {
      server.closeAllConnections();
      server.close(() => resolve());
    }),
  };
}
