// The load generator of the benchmarks, one client for the bare route and the BFF alike so a
// ratio compares like with like. Two shapes:
// - open loop: request i is due at start + i / rate whatever happened before, and its latency
//   counts from when it was due, so a stall shows as latency instead of hiding as a slower
//   arrival rate (coordinated omission);
// - closed loop: `lanes` requests in flight for a while, for the most a process can answer.
// Percentiles come from an HDR histogram; the samples stay for the report's latency-over-time chart.
import { performance } from 'node:perf_hooks';
import autocannon from 'autocannon';
import * as hdr from 'hdr-histogram-js';
import { Pool } from 'undici';

export interface LoadRequest {
  method: 'GET' | 'POST' | 'PUT' | 'DELETE';
  path: string;
  headers?: Record<string, string>;
  body?: unknown;
}

/** One point of the latency-over-time chart: the requests due in one time bucket. */
export interface TimelinePoint {
  atS: number;
  count: number;
  p50Ms: number;
  p99Ms: number;
  maxMs: number;
}

export interface RunFigures {
  label: string;
  shape: 'open' | 'closed';
  /** Open loop: requests per second offered. */
  offeredPerSecond?: number;
  /** Closed loop: requests kept in flight. */
  lanes?: number;
  requests: number;
  seconds: number;
  answeredPerSecond: number;
  p50Ms: number;
  p90Ms: number;
  p99Ms: number;
  maxMs: number;
  /** Status (and error code) → count; `no answer` when the request failed or timed out. */
  outcomes: Record<string, number>;
  /** Answered per second as a share of the bare route's, when measured beside it. */
  ofBare?: number;
  timeline: TimelinePoint[];
}

const REQUEST_TIMEOUT_MS = 15_000;

export class LoadClient {
  private readonly pool: Pool;

  constructor(
    readonly origin: string,
    connections = 512,
  ) {
    this.pool = new Pool(origin, {
      connections,
      pipelining: 1,
      headersTimeout: REQUEST_TIMEOUT_MS,
      bodyTimeout: REQUEST_TIMEOUT_MS,
      connectTimeout: REQUEST_TIMEOUT_MS,
    });
  }

  /** Sends one request; answers its status and, for errors, the error code of the body. */
  async send(
    request: LoadRequest,
  ): Promise<{ status: number; outcome: string; body: string; retryAfterS?: number }> {
    const body = request.body === undefined ? undefined : JSON.stringify(request.body);
    const headers = {
      ...(body === undefined ? {} : { 'content-type': 'application/json' }),
      ...request.headers,
    };
    const answer = await this.pool.request({ method: request.method, path: request.path, headers, body });
    const text = await answer.body.text();
    let outcome = String(answer.statusCode);
    if (answer.statusCode >= 400) {
      try {
        outcome += ` ${(JSON.parse(text) as { error?: { code?: string } }).error?.code ?? ''}`.trimEnd();
      } catch {
        // Not our error body (a proxy's page): the status says enough.
      }
    }
    const retryAfter = Number(answer.headers['retry-after']);
    return {
      status: answer.statusCode,
      outcome,
      body: text,
      ...(Number.isFinite(retryAfter) && retryAfter > 0 ? { retryAfterS: retryAfter } : {}),
    };
  }

  /**
   * Opens `count` connections (one cheap request on each, all at once) and keeps them, as a
   * balancer holds its upstream connections. A Node server accepts one new connection per
   * event-loop iteration (libuv since 1.45, libuv/libuv#3696): opened during a burst against a
   * saturated process, a few hundred new connections wait seconds to be accepted — the
   * connection's wait, not the server's answer (measured: the 257th at 1.7 s).
   */
  async connect(count: number, path: string): Promise<void> {
    await Promise.all(Array.from({ length: count }, () => this.send({ method: 'GET', path })));
  }

  close(): Promise<void> {
    return this.pool.close();
  }
}

interface Sample {
  dueMs: number;
  latencyMs: number;
}

function summarise(
  label: string,
  shape: RunFigures['shape'],
  samples: Sample[],
  outcomes: Record<string, number>,
  seconds: number,
  extra: Partial<RunFigures>,
): RunFigures {
  const histogram = hdr.build({
    lowestDiscernibleValue: 1,
    highestTrackableValue: 120_000_000,
    numberOfSignificantValueDigits: 3,
  });
  for (const s of samples) histogram.recordValue(Math.max(1, Math.round(s.latencyMs * 1000)));
  const atPercentile = (p: number) => histogram.getValueAtPercentile(p) / 1000;
  const buckets = new Map<number, number[]>();
  const width = seconds > 30 ? 1 : 0.25;
  for (const s of samples) {
    const bucket = Math.floor(s.dueMs / 1000 / width);
    const list = buckets.get(bucket) ?? [];
    list.push(s.latencyMs);
    buckets.set(bucket, list);
  }
  const timeline = [...buckets.entries()]
    .sort(([a], [b]) => a - b)
    .map(([bucket, latencies]) => {
      latencies.sort((a, b) => a - b);
      const at = (p: number) =>
        latencies[Math.min(latencies.length - 1, Math.ceil(p * latencies.length) - 1)];
      return {
        atS: Number((bucket * width).toFixed(2)),
        count: latencies.length,
        p50Ms: round(at(0.5)),
        p99Ms: round(at(0.99)),
        maxMs: round(latencies[latencies.length - 1]),
      };
    });
  histogram.destroy();
  return {
    label,
    shape,
    ...extra,
    requests: samples.length,
    seconds: round(seconds),
    answeredPerSecond: round(samples.length / seconds),
    p50Ms: round(atPercentile(50)),
    p90Ms: round(atPercentile(90)),
    p99Ms: round(atPercentile(99)),
    maxMs: round(samples.reduce((max, s) => Math.max(max, s.latencyMs), 0)),
    outcomes,
    timeline,
  };
}

function round(value: number): number {
  return Number(value.toFixed(2));
}

async function timed(
  client: LoadClient,
  request: LoadRequest,
  dueMs: number,
  start: number,
  samples: Sample[],
  outcomes: Record<string, number>,
  how: {
    onAnswer?: (answer: { status: number; body: string }) => void;
    /** Ask a refusal for load again after its Retry-After, as the mini-program does. */
    untilServed?: boolean;
  } = {},
): Promise<void> {
  let outcome: string;
  try {
    let answer = await client.send(request);
    while (how.untilServed && answer.status === 503 && answer.retryAfterS !== undefined) {
      await new Promise((resolve) => setTimeout(resolve, answer.retryAfterS! * 1000));
      answer = await client.send(request);
    }
    outcome = answer.outcome;
    how.onAnswer?.(answer);
  } catch {
    outcome = 'no answer';
  }
  samples.push({ dueMs, latencyMs: performance.now() - start - dueMs });
  outcomes[outcome] = (outcomes[outcome] ?? 0) + 1;
}

/** `count` requests arriving at `rate` per second; resolves when every one is answered. */
export async function openLoop(
  label: string,
  client: LoadClient,
  options: {
    rate: number;
    count: number;
    request: (i: number) => LoadRequest;
    onAnswer?: (i: number, answer: { status: number; body: string }) => void;
  },
): Promise<RunFigures> {
  const samples: Sample[] = [];
  const outcomes: Record<string, number> = {};
  const inFlight: Promise<void>[] = [];
  const start = performance.now();
  const dueAt = (i: number) => (i * 1000) / options.rate;
  let launched = 0;
  await new Promise<void>((resolve) => {
    const launchDue = () => {
      const elapsed = performance.now() - start;
      while (launched < options.count && dueAt(launched) <= elapsed) {
        const i = launched++;
        inFlight.push(
          timed(client, options.request(i), dueAt(i), start, samples, outcomes, {
            onAnswer: options.onAnswer && ((a) => options.onAnswer!(i, a)),
          }),
        );
      }
      if (launched >= options.count) return resolve();
      setTimeout(launchDue, Math.max(0, dueAt(launched) - (performance.now() - start)));
    };
    launchDue();
  });
  await Promise.all(inFlight);
  return summarise(label, 'open', samples, outcomes, (performance.now() - start) / 1000, {
    offeredPerSecond: options.rate,
  });
}

/** `count` requests, `lanes` in flight at a time: the most the system answers of a kind (capacity). */
export async function lanesLoop(
  label: string,
  client: LoadClient,
  options: {
    lanes: number;
    count: number;
    request: (i: number) => LoadRequest;
    /** Ask a request refused for load (503 with Retry-After) again, its latency counting from the first try. */
    untilServed?: boolean;
  },
): Promise<RunFigures> {
  const samples: Sample[] = [];
  const outcomes: Record<string, number> = {};
  const start = performance.now();
  let next = 0;
  const lane = async () => {
    while (next < options.count)
      await timed(client, options.request(next++), performance.now() - start, start, samples, outcomes, {
        untilServed: options.untilServed,
      });
  };
  await Promise.all(Array.from({ length: options.lanes }, lane));
  return summarise(label, 'closed', samples, outcomes, (performance.now() - start) / 1000, {
    lanes: options.lanes,
  });
}

/**
 * `lanes` connections each with one request in flight for `seconds`, driven by autocannon (the
 * tool the targets were set with); resolves when the last one is answered.
 */
export async function closedLoop(
  label: string,
  origin: string,
  options: { lanes: number; seconds: number; path: string },
): Promise<RunFigures> {
  const samples: Sample[] = [];
  const outcomes: Record<string, number> = {};
  const start = performance.now();
  let instance!: autocannon.Instance;
  const finished = new Promise<autocannon.Result>((resolve, reject) => {
    instance = autocannon(
      {
        url: `${origin}${options.path}`,
        connections: options.lanes,
        duration: options.seconds,
        pipelining: 1,
      },
      (error: Error | null, result) => (error ? reject(error) : resolve(result)),
    );
  });
  instance.on('response', (_client: unknown, statusCode: number, _bytes: number, responseTime: number) => {
    samples.push({ dueMs: performance.now() - start - responseTime, latencyMs: responseTime });
    outcomes[statusCode] = (outcomes[statusCode] ?? 0) + 1;
  });
  const result = await finished;
  if (result.errors + result.timeouts > 0) outcomes['no answer'] = result.errors + result.timeouts;
  return summarise(label, 'closed', samples, outcomes, (performance.now() - start) / 1000, {
    lanes: options.lanes,
  });
}

/** The bare route under the same tool, lanes and duration: the ceiling the ratios refer to. */
export function bareRoute(bareUrl: string, lanes: number, seconds: number): Promise<RunFigures> {
  return closedLoop('bare Fastify JSON route', bareUrl, { lanes, seconds, path: '/ping' });
}

/**
 * The bare route under the same arrivals as an open-loop run: what a request costs on this
 * machine at that moment with nothing behind it, to read the run's latency against.
 */
export async function bareAlike(bareUrl: string, run: RunFigures): Promise<RunFigures> {
  const client = new LoadClient(bareUrl);
  try {
    const bare = await openLoop('bare Fastify JSON route, same arrivals', client, {
      rate: run.offeredPerSecond!,
      count: run.requests,
      request: () => ({ method: 'GET', path: '/ping' }),
    });
    return bare;
  } finally {
    await client.close();
  }
}
