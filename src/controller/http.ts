// The controller's HTTP endpoints: /healthz (the process serves), /readyz (a reconcile has
// succeeded), /metrics (Prometheus text), /status (JSON conditions, revisions, drift).
// Invariant: /healthz and /readyz answer at once whatever /metrics and /status are doing. A
// flood of /metrics must not make a liveness probe time out (and the pod restart), so the
// Prometheus text is rendered at most once per cache window (concurrent scrapes share one
// render) and at most `maxBusy` /metrics + /status answers are in progress; more get 503.
import { timingSafeEqual } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Controller } from './loop.js';
import type { ControllerMetrics } from './metrics.js';
import { escapeControl, escapeJsonText } from '../model/escape.js';

export interface StatusServer {
  readonly url: string;
  /** /metrics and /status answers in progress (bounded by maxBusy). */
  busy(): number;
  close(): Promise<void>;
}

export interface StatusServerProps {
  readonly host: string;
  readonly port: number;
  readonly controller: Pick<Controller, 'ready' | 'status'>;
  readonly metrics: Pick<ControllerMetrics, 'registry'>;
  /** When set, /metrics and /status require `Authorization: Bearer <token>`; probes never do. */
  readonly token?: string;
  /** Re-render /metrics at most this often (ms; default 1000). */
  readonly metricsCacheMs?: number;
  /** /metrics + /status answers in progress at once (default 8); beyond, 503. */
  readonly maxBusy?: number;
  /** Monotonic ms; default performance.now. */
  readonly now?: () => number;
}

export async function startStatusServer(props: StatusServerProps): Promise<StatusServer> {
  const now = props.now ?? (() => performance.now());
  const cacheMs = props.metricsCacheMs ?? 1000;
  const maxBusy = props.maxBusy ?? 8;
  const expected = props.token ? Buffer.from(`Bearer ${props.token}`) : undefined;
  let busy = 0;
  let cached: { text: string; at: number } | undefined;
  let rendering: Promise<string> | undefined;

  const renderMetrics = (): Promise<string> => {
    if (cached && now() - cached.at < cacheMs) return Promise.resolve(cached.text);
    rendering ??= props.metrics.registry.metrics().then(
      (text) => {
        cached = { text, at: now() };
        rendering = undefined;
        return text;
      },
      (err: unknown) => {
        rendering = undefined;
        throw err;
      },
    );
    return rendering;
  };
  const authorized = (header: string | undefined): boolean => {
    if (!expected) return true;
    const got = Buffer.from(header ?? '');
    return got.length === expected.length && timingSafeEqual(got, expected);
  };

  const server: Server = createServer((req, res) => {
    const path = (req.url ?? '/').split('?')[0];
    const send = (status: number, type: string, body: string, headers: Record<string, string> = {}): void => {
      if (res.destroyed) return;
      res.writeHead(status, { 'content-type': type, 'cache-control': 'no-store', ...headers });
      res.end(body);
    };
    if (req.method !== 'GET' && req.method !== 'HEAD') return send(405, 'text/plain', 'method not allowed\n');
    switch (path) {
      case '/healthz':
        return send(200, 'text/plain', 'ok\n');
      case '/readyz':
        return props.controller.ready() ? send(200, 'text/plain', 'ready\n') : send(503, 'text/plain', 'not ready: no successful reconcile yet\n');
      case '/metrics':
      case '/status': {
        if (!authorized(req.headers.authorization)) return send(401, 'text/plain', 'unauthorized: send Authorization: Bearer <status token>\n', { 'www-authenticate': 'Bearer' });
        if (busy >= maxBusy) return send(503, 'text/plain', 'busy: too many /metrics and /status requests in progress, retry\n', { 'retry-after': '1' });
        busy++;
        res.once('close', () => busy--);
        // Names and AWS errors inside: C1 and bidi characters as \u escapes, so `curl /status` is safe on a terminal.
        if (path === '/status') return send(200, 'application/json', `${escapeJsonText(JSON.stringify(props.controller.status(), null, 2))}\n`);
        renderMetrics().then(
          (text) => send(200, props.metrics.registry.contentType, text),
          (err: Error) => send(500, 'text/plain', `${escapeControl(err.message)}\n`),
        );
        return;
      }
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
    busy: () => busy,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
