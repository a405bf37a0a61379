// Who may talk to the emulator. It has no authentication, so a web page in the developer's
// browser must not reach it: a cross-origin `text/plain` POST needs no CORS preflight (CSRF),
// and a name the attacker controls can be re-pointed at 127.0.0.1 (DNS rebinding). Browsers
// always send `Host` and, on cross-origin POSTs, `Origin`; SDKs and the AWS CLI send a loopback
// Host (or one the operator allowed), no Origin, and `application/json` bodies.
import type { IncomingHttpHeaders } from 'node:http';
import { AwsError } from './ops/types.js';

export interface RequestGuardOptions {
  /** Host names (without port) accepted besides loopback ones; '*' accepts any Host. */
  readonly allowHosts?: readonly string[];
}

/** The request's rejection, or undefined when it may proceed. */
export type RequestGuard = (method: string, headers: IncomingHttpHeaders, bodyBytes: number) => AwsError | undefined;

export function createRequestGuard(options: RequestGuardOptions = {}): RequestGuard {
  const allowed = new Set((options.allowHosts ?? []).map((h) => h.toLowerCase()));
  const anyHost = allowed.has('*');
  const hostOk = (name: string | undefined): boolean => name !== undefined && (isLoopback(name) || allowed.has(name));
  return (method, headers, bodyBytes) => {
    const host = hostName(headers.host);
    if (!anyHost && !hostOk(host)) {
      return new AwsError(
        'AccessDeniedException',
        403,
        `Host '${headers.host ?? ''}' is not a loopback address; start the emulator with --allow-host ${host ?? '<name>'} to accept it`,
      );
    }
    const origin = headers.origin;
    if (origin !== undefined && !hostOk(originHost(origin))) {
      return new AwsError('AccessDeniedException', 403, `Cross-origin request from '${origin}' refused: the emulator accepts no browser requests from other origins`);
    }
    if (bodyBytes > 0 && method !== 'GET' && method !== 'HEAD' && !isJson(headers['content-type'])) {
      return new AwsError('InvalidRequestException', 400, `Content-Type '${headers['content-type'] ?? ''}' is not supported: send application/json`);
    }
    return undefined;
  };
}

function isLoopback(name: string): boolean {
  return name === 'localhost' || name.endsWith('.localhost') || name === '::1' || /^127(\.\d{1,3}){3}$/.test(name);
}

/** `Host` without its port, lower-case, IPv6 without brackets. */
function hostName(header: string | undefined): string | undefined {
  if (!header) return undefined;
  const h = header.trim().toLowerCase();
  if (h.startsWith('[')) {
    const end = h.indexOf(']');
    return end < 0 ? undefined : h.slice(1, end);
  }
  return h.replace(/:\d*$/, '');
}

function originHost(origin: string): string | undefined {
  try {
    return hostName(new URL(origin).host);
  } catch {
    return undefined; // 'null' (sandboxed frames, file://) and garbage are refused
  }
}

function isJson(contentType: string | undefined): boolean {
  const media = (contentType ?? '').split(';')[0]!.trim().toLowerCase();
  return media === 'application/json' || /^application\/(x-amz-json-1\.[01]|[a-z0-9.+-]+\+json)$/.test(media);
}
