// The HTTP front of the emulator: node:http, no framework. One request = route match → stats →
// injected faults → throttle → read-only check → decode → handler → encode. Handlers run to
// completion one at a time on the event loop, so each operation is atomic like AWS's API calls.
import type { IncomingMessage, ServerResponse } from 'node:http';
import { randomUUID } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import type { Router } from './protocol/router.js';
import { decodeRequest, encodeError, encodeResponse, type EncodedResponse } from './protocol/codec.js';
import { AwsError, errors, type OpContext, type OpTable } from './ops/types.js';
import type { Throttle } from './throttle.js';
import type { FaultInjector } from './faults.js';
import type { Stats } from './stats.js';
import type { RequestGuard } from './request-guard.js';

const MAX_BODY_BYTES = 16 * 1024 * 1024;

/** Operations that only read. Everything else mutates: denied in read-only mode, and triggers a save. */
export function isReadOnlyOperation(operation: string): boolean {
  return /^(Describe|Get|List|Search|Test|Validate)/.test(operation);
}

export interface CallLogEntry {
  readonly operation: string;
  readonly status: number;
  readonly errorType?: string;
  readonly ms: number;
}

export interface HandlerProps {
  readonly router: Router;
  readonly operations: OpTable;
  readonly context: OpContext;
  readonly throttle: Throttle;
  readonly faults?: FaultInjector;
  /** Waits out injected latency; default setTimeout. */
  readonly sleep?: (ms: number) => Promise<unknown>;
  readonly readOnly: boolean;
  readonly stats: Stats;
  /** Called after every successful mutating operation (persistence schedules a save). */
  readonly onMutation: () => void;
  /** Called once per answered API call (not for dropped connections), e.g. for a request log. */
  readonly onCall?: (entry: CallLogEntry) => void;
  /** Refuses requests from browsers and foreign hosts before anything else runs (admin endpoints included). */
  readonly guard?: RequestGuard;
  /** Unexpected (non-AWS) errors thrown by handlers, for diagnostics. */
  readonly onInternalError?: (operation: string, err: unknown) => void;
}

export function createRequestHandler(props: HandlerProps): (req: IncomingMessage, res: ServerResponse) => void {
  const { router, operations, context, throttle, faults, readOnly, stats } = props;

  const errorTypes = new WeakMap<ServerResponse, string>();

  function send(res: ServerResponse, r: EncodedResponse): void {
    if (res.destroyed) return;
    const errorType = r.headers['x-amzn-errortype'];
    if (errorType && props.onCall) errorTypes.set(res, errorType);
    res.writeHead(r.status, { ...r.headers, 'x-amzn-requestid': randomUUID(), 'content-length': Buffer.byteLength(r.body) });
    res.end(r.body);
  }

  function fail(res: ServerResponse, err: AwsError): void {
    stats.error(err.type);
    send(res, encodeError(err));
  }

  function admin(req: IncomingMessage, res: ServerResponse, path: string): void {
    const json = (status: number, body: unknown) => send(res, { status, headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
    if (req.method === 'GET' && path === '/_emulator/health') return json(200, { status: 'ok' });
    if (req.method === 'GET' && path === '/_emulator/stats') return json(200, stats.snapshot());
    if (req.method === 'POST' && path === '/_emulator/stats/reset') {
      stats.reset();
      return json(200, { reset: true });
    }
    return json(404, { message: `Unknown emulator endpoint ${req.method ?? ''} ${path}` });
  }

  function logged(operation: string, started: number, res: ServerResponse): void {
    if (!props.onCall) return;
    res.once('finish', () =>
      props.onCall?.({
        operation,
        status: res.statusCode,
        errorType: errorTypes.get(res),
        ms: performance.now() - started,
      }),
    );
  }

  async function run(req: IncomingMessage, res: ServerResponse, body: Buffer): Promise<void> {
    const url = req.url ?? '/';
    const q = url.indexOf('?');
    const path = q < 0 ? url : url.slice(0, q);
    if (path.startsWith('/_emulator/')) return admin(req, res, path);
    const match = router.match(req.method ?? 'GET', path);
    if (!match) {
      stats.call('Unknown');
      logged('Unknown', performance.now(), res);
      return fail(res, new AwsError('UnknownOperationException', 404, `No AWS IoT operation matches ${req.method ?? ''} ${path}`));
    }
    const { operation, route } = match;
    stats.call(operation);
    logged(operation, performance.now(), res);
    let loseAnswer = false;
    if (faults?.applies(operation)) {
      const decision = faults.next();
      if (decision.latencyMs > 0) await (props.sleep ?? sleep)(decision.latencyMs);
      if (decision.fault === 'lost') {
        stats.fault(decision.fault);
        loseAnswer = true;
      } else if (decision.fault) {
        stats.fault(decision.fault);
        if (decision.fault === 'reset') {
          req.socket.destroy();
          return;
        }
        if (decision.fault === 'throttle') {
          stats.throttled(operation);
          return fail(res, errors.throttling());
        }
        return fail(res, decision.fault === '500' ? errors.internal('Injected fault') : errors.serviceUnavailable('Injected fault'));
      }
    }
    if (!throttle.take(operation)) {
      stats.throttled(operation);
      return fail(res, errors.throttling());
    }
    const mutating = !isReadOnlyOperation(operation);
    if (readOnly && mutating) {
      stats.denied(operation);
      return fail(res, errors.accessDenied(`The emulator is read-only: ${operation} is not allowed`));
    }
    const handler = operations[operation];
    if (!handler) return fail(res, new AwsError('NotImplementedException', 501, `The iotops emulator does not implement ${operation}`));
    try {
      const input = decodeRequest(route, match.labels, q < 0 ? undefined : new URLSearchParams(url.slice(q + 1)), req.headers, body);
      const output = await handler(input, context);
      if (mutating) props.onMutation();
      if (loseAnswer) return void req.socket.destroy();
      send(res, encodeResponse(route, output));
    } catch (err) {
      if (err instanceof AwsError) {
        if (mutating) props.onMutation();
        if (loseAnswer) return void req.socket.destroy();
        return fail(res, err);
      }
      props.onInternalError?.(operation, err);
      return fail(res, errors.internal(`Internal failure in ${operation}: ${err instanceof Error ? err.message : String(err)}`));
    }
  }

  return (req, res) => {
    // A client that disconnects mid-request must not take the emulator down with an unhandled 'error'.
    req.on('error', () => undefined);
    res.on('error', () => undefined);
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (c: Buffer) => {
      size += c.length;
      if (size > MAX_BODY_BYTES) {
        fail(res, errors.invalidRequest('Request body too large'));
        req.destroy();
        return;
      }
      chunks.push(c);
    });
    req.on('end', () => {
      if (size > MAX_BODY_BYTES) return;
      const refused = props.guard?.(req.method ?? 'GET', req.headers, size);
      if (refused) return fail(res, refused);
      run(req, res, chunks.length === 1 ? chunks[0] : Buffer.concat(chunks)).catch((err: unknown) => {
        props.onInternalError?.('server', err);
        if (!res.headersSent) fail(res, errors.internal());
      });
    });
  };
}
