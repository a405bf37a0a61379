// Fault injection for reliability tests. A spec like
//   throttle=0.1,500=0.02,503=0.01,latency=5-50ms,reset=0.01,lost=0.01,seed=7
// gives per-request probabilities of a ThrottlingException, a 500 InternalFailureException, a 503
// ServiceUnavailableException and a dropped connection, plus uniform added latency. These four
// refuse the request before it runs. `lost` runs it and then drops the connection instead of
// answering: the call took effect but the client cannot know, as when AWS's answer is lost on
// the way. `only=CreateKeysAndCertificate+CreateThing` limits faults (and their draws) to those
// operations. Draws come from a seeded PRNG in request order, so the same calls see the same faults.

export interface FaultSpec {
  readonly throttle?: number;
  readonly error500?: number;
  readonly error503?: number;
  readonly reset?: number;
  readonly lost?: number;
  /** Operations the faults apply to; all when absent. */
  readonly only?: readonly string[];
  readonly latencyMs?: readonly [number, number];
  readonly seed?: number;
}

export type FaultKind = 'throttle' | '500' | '503' | 'reset' | 'lost';

export interface FaultDecision {
  readonly latencyMs: number;
  readonly fault?: FaultKind;
}

export interface FaultInjector {
  /** Whether `operation` is subject to faults (see `only`); no draw is made for the others. */
  applies(operation: string): boolean;
  next(): FaultDecision;
}

export function parseFaultSpec(text: string): FaultSpec {
  const spec: { -readonly [K in keyof FaultSpec]: FaultSpec[K] } = {};
  for (const part of text.split(',').map((p) => p.trim()).filter(Boolean)) {
    const eq = part.indexOf('=');
    if (eq < 0) throw new Error(`fault spec: expected key=value, got "${part}"`);
    const key = part.slice(0, eq).trim();
    const value = part.slice(eq + 1).trim();
    switch (key) {
      case 'throttle':
        spec.throttle = probability(key, value);
        break;
      case '500':
        spec.error500 = probability(key, value);
        break;
      case '503':
        spec.error503 = probability(key, value);
        break;
      case 'reset':
        spec.reset = probability(key, value);
        break;
      case 'lost':
        spec.lost = probability(key, value);
        break;
      case 'only': {
        const ops = value.split('+').map((o) => o.trim());
        if (ops.some((o) => !/^[A-Z][A-Za-z0-9]*$/.test(o))) throw new Error(`fault spec: only must list operations joined by +, got "${value}"`);
        spec.only = ops;
        break;
      }
      case 'seed': {
        const n = Number(value);
        if (!Number.isInteger(n)) throw new Error(`fault spec: seed must be an integer, got "${value}"`);
        spec.seed = n;
        break;
      }
      case 'latency': {
        const m = /^(\d+(?:\.\d+)?)(?:-(\d+(?:\.\d+)?))?(ms|s)?$/.exec(value);
        if (!m) throw new Error(`fault spec: latency must look like 5-50ms, got "${value}"`);
        const unit = m[3] === 's' ? 1000 : 1;
        const lo = Number(m[1]) * unit;
        const hi = (m[2] === undefined ? Number(m[1]) : Number(m[2])) * unit;
        if (hi < lo) throw new Error(`fault spec: latency range is reversed: "${value}"`);
        spec.latencyMs = [lo, hi];
        break;
      }
      default:
        throw new Error(`fault spec: unknown key "${key}" (known: throttle, 500, 503, reset, lost, only, latency, seed)`);
    }
  }
  const total = (spec.throttle ?? 0) + (spec.error500 ?? 0) + (spec.error503 ?? 0) + (spec.reset ?? 0) + (spec.lost ?? 0);
  if (total > 1) throw new Error('fault spec: probabilities add up to more than 1');
  return spec;
}

function probability(key: string, value: string): number {
  const n = Number(value);
  if (value === '' || !Number.isFinite(n) || n < 0 || n > 1) throw new Error(`fault spec: ${key} must be a probability in [0,1], got "${value}"`);
  return n;
}

/** mulberry32: tiny, fast, good enough for fault draws, and identical on every platform. */
function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export function createFaultInjector(spec: FaultSpec): FaultInjector {
  const random = prng(spec.seed ?? 1);
  const bands: [FaultKind, number][] = [
    ['reset', spec.reset ?? 0],
    ['503', spec.error503 ?? 0],
    ['500', spec.error500 ?? 0],
    ['throttle', spec.throttle ?? 0],
    // Last, so adding it leaves the draws of existing seeds' other faults where they were.
    ['lost', spec.lost ?? 0],
  ];
  const only = spec.only ? new Set(spec.only) : undefined;
  return {
    applies: (operation) => only === undefined || only.has(operation),
    next() {
      // Always two draws per request so the fault sequence does not depend on the latency setting.
      const latencyDraw = random();
      const faultDraw = random();
      const [lo, hi] = spec.latencyMs ?? [0, 0];
      const latencyMs = lo + (hi - lo) * latencyDraw;
      let acc = 0;
      for (const [kind, p] of bands) {
        acc += p;
        if (faultDraw < acc) return { latencyMs, fault: kind };
      }
      return { latencyMs };
    },
  };
}
