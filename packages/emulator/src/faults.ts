/** Which server a fault or a logged request belongs to. */
export type Surface = 'arm' | 'entra' | 'oidc' | 'kube' | 'echo' | 'scm' | 'github' | 'azure-devops';

export type FaultKind =
  | { kind: 'latency'; ms: number }
  | { kind: 'throttle'; retryAfterSeconds: number }
  | { kind: 'error'; status: 500 | 503; code?: string }
  | { kind: 'conflict' }
  | { kind: 'drop-watch'; afterEvents?: number }
  /**
   * Runs code at a chosen moment of a request, for races a test must make happen: `before`
   * (awaited before the request is handled: a promise that never settles holds the request
   * unanswered, as a server that never answers) or `after` (awaited once the answer is computed,
   * before it is sent: the state changes between that answer and the client's next request).
   * ARM, Entra ID and OIDC requests support both; Kubernetes requests `before` only.
   */
  | { kind: 'hook'; when: 'before' | 'after'; run: () => void | Promise<void> }
  /** Answers with exactly this instead of handling the request. */
  | { kind: 'respond'; status: number; body?: string; headers?: Record<string, string> };

export type FaultRule = FaultKind & {
  surface: Surface;
  /** HTTP method(s) to match (any when absent). */
  method?: string | string[];
  /** Substring or pattern the request path (without query) must match (any when absent). */
  path?: string | RegExp;
  /** Substring or pattern the query string (e.g. `watch=true`) must match (any when absent). */
  query?: string | RegExp;
  /** How many matching requests it applies to; unlimited when absent. */
  times?: number;
};

/** Per-test fault injection: rules are matched in order; a rule with `times` expires after use. */
export class Faults {
  private rules: FaultRule[] = [];

  add(rule: FaultRule): void {
    this.rules.push({ ...rule });
  }

  clear(): void {
    this.rules = [];
  }

  /** The first hook rule matching the request (consuming one use of it), if any. */
  takeHook(surface: Surface, method: string, path: string, query = ''): Extract<FaultKind, { kind: 'hook' }> | undefined {
    const rule = this.take(surface, method, path, ['hook'], query);
    return rule?.kind === 'hook' ? rule : undefined;
  }

  /** The first rule matching the request (consuming one use of it), if any. */
  take(surface: Surface, method: string, path: string, kinds?: FaultKind['kind'][], query = ''): FaultRule | undefined {
    const i = this.rules.findIndex(
      (r) =>
        r.surface === surface &&
        (!kinds || kinds.includes(r.kind)) &&
        (!r.method || [r.method].flat().some((m) => m.toUpperCase() === method.toUpperCase())) &&
        (!r.path || (typeof r.path === 'string' ? path.includes(r.path) : r.path.test(path))) &&
        (!r.query || (typeof r.query === 'string' ? query.includes(r.query) : r.query.test(query))),
    );
    if (i < 0) return undefined;
    const rule = this.rules[i]!;
    if (rule.times !== undefined) {
      rule.times--;
      if (rule.times <= 0) this.rules.splice(i, 1);
    }
    return rule;
  }
}

export interface LoggedRequest {
  surface: Surface;
  method: string;
  /** Path without the query string. */
  path: string;
  status: number;
  /** When it was answered (ms since the epoch). */
  at?: number;
}

/** Every request the stand-in answered, for request counts and "zero writes" assertions. */
export class RequestLog {
  readonly entries: LoggedRequest[] = [];

  record(entry: LoggedRequest): void {
    this.entries.push({ ...entry, at: entry.at ?? Date.now() });
  }

  clear(): void {
    this.entries.length = 0;
  }

  /** Requests that could change state (anything but GET/HEAD and ARM's POST .../list* reads). */
  writes(surface?: Surface): LoggedRequest[] {
    return this.entries.filter(
      (e) =>
        (!surface || e.surface === surface) &&
        !['GET', 'HEAD'].includes(e.method) &&
        !(e.surface === 'arm' && e.method === 'POST' && /\/list[^/]*$/i.test(e.path)) &&
        !(e.surface === 'entra' || e.surface === 'oidc'),
    );
  }
}
