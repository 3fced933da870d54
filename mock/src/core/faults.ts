// Fault injection for tests: a rule matches a route (`GET /api/items/:code`, `*` for any
// segment run) and adds latency, fails a share of requests, or never answers at all.

export interface FaultRule {
  /** `METHOD /path` with `:param` segments and `*` wildcards; `*` alone matches every API route. */
  route: string;
  latencyMs?: number;
  /** 0..1: share of matching requests that fail with `status`. */
  errorRate?: number;
  status?: number;
  /** Hold the request open without answering (until the client gives up). */
  timeout?: boolean;
  /** Apply to this many matching requests, then retire. */
  times?: number;
}

interface ActiveRule extends FaultRule {
  pattern: RegExp;
  used: number;
}

export type FaultEffect = { latencyMs: number; fail: number | null; hang: boolean };

function compile(route: string): RegExp {
  if (route === '*') return /^[A-Z]+ \/api\//;
  const [method, path = ''] = route.trim().split(/\s+/, 2);
  const body = path
    .split('/')
    .map((segment) =>
      segment === '*'
        ? '.*'
        : segment.startsWith(':')
          ? '[^/]+'
          : segment.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'),
    )
    .join('/');
  return new RegExp(`^${method === '*' ? '[A-Z]+' : method.toUpperCase()} ${body}$`);
}

export class FaultInjector {
  private rules: ActiveRule[] = [];

  add(rule: FaultRule): void {
    if (typeof rule.route !== 'string' || rule.route.length === 0) throw new Error('route is required');
    this.rules.push({ ...rule, pattern: compile(rule.route), used: 0 });
  }

  list(): FaultRule[] {
    return this.rules.map(({ pattern: _pattern, used: _used, ...rule }) => rule);
  }

  clear(): void {
    this.rules = [];
  }

  /** What happens to this request; rules stack (latencies add up, the first failure wins). */
  effectFor(method: string, path: string): FaultEffect {
    const effect: FaultEffect = { latencyMs: 0, fail: null, hang: false };
    const key = `${method} ${path}`;
    for (const rule of this.rules) {
      if (!rule.pattern.test(key)) continue;
      rule.used += 1;
      effect.latencyMs += rule.latencyMs ?? 0;
      if (rule.timeout) effect.hang = true;
      if (effect.fail === null && rule.errorRate !== undefined && Math.random() < rule.errorRate)
        effect.fail = rule.status ?? 503;
    }
    this.rules = this.rules.filter((r) => r.times === undefined || r.used < r.times);
    return effect;
  }
}
