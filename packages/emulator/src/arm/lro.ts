import { randomUUID } from 'node:crypto';

interface Operation {
  id: string;
  status: 'InProgress' | 'Succeeded' | 'Failed' | 'Canceled';
  startTime: string;
  endTime?: string;
  error?: { code: string; message: string };
  /** Where the Location header's poll ends up once done (for final GETs); undefined for deletes. */
  resourceUrl?: string;
}

/**
 * Long-running operations as ARM reports them: an operation status resource for
 * Azure-AsyncOperation (`{status}`), and an operation result URL for Location polling (202 until
 * done). Completion runs after `delayMs` on a timer, so stored state flips from
 * Creating/Updating/Deleting to its final form as in Azure, and tests can observe both.
 */
export class Operations {
  private readonly ops = new Map<string, Operation>();
  private readonly timers = new Set<NodeJS.Timeout>();

  constructor(
    public delayMs: number,
    /** Retry-After seconds sent with LRO responses (0 keeps SDK polling fast in tests). */
    public retryAfterSeconds = 0,
  ) {}

  /**
   * Starts an operation whose effect `complete` applies after the delay; returns the headers
   * to send on the initial response.
   */
  start(
    base: string,
    scope: { subscriptionId: string; namespace: string; location: string; apiVersion: string },
    complete: () => { code: string; message: string } | void,
    kind: 'put' | 'delete',
    /** This operation's duration when it is not the default (e.g. a slow AKS cluster update). */
    delayMs = this.delayMs,
  ): Record<string, string> {
    const id = randomUUID();
    const op: Operation = { id, status: 'InProgress', startTime: new Date().toISOString() };
    this.ops.set(id, op);
    const finish = () => {
      this.timers.delete(timer);
      try {
        const err = complete();
        op.status = err ? 'Failed' : 'Succeeded';
        if (err) op.error = err;
      } catch (e) {
        op.status = 'Failed';
        op.error = { code: 'InternalServerError', message: String(e) };
      }
      op.endTime = new Date().toISOString();
    };
    const timer = setTimeout(finish, delayMs);
    timer.unref();
    this.timers.add(timer);
    const prefix = `${base}/subscriptions/${scope.subscriptionId}/providers/${scope.namespace}/locations/${encodeURIComponent(scope.location || 'global')}`;
    const q = `?api-version=${encodeURIComponent(scope.apiVersion)}`;
    const headers: Record<string, string> = {
      'azure-asyncoperation': `${prefix}/operations/${id}${q}`,
      'retry-after': String(this.retryAfterSeconds),
    };
    if (kind === 'delete') headers.location = `${prefix}/operationResults/${id}${q}`;
    return headers;
  }

  /** Operation status document, or undefined for an unknown id. */
  status(id: string): Record<string, unknown> | undefined {
    const op = this.ops.get(id);
    if (!op) return undefined;
    return { id, name: id, status: op.status, startTime: op.startTime, ...(op.endTime ? { endTime: op.endTime } : {}), ...(op.error ? { error: op.error } : {}) };
  }

  isDone(id: string): boolean | undefined {
    const op = this.ops.get(id);
    return op ? op.status !== 'InProgress' : undefined;
  }

  /** Cancels pending completions (emulator stop). */
  stop(): void {
    for (const t of this.timers) clearTimeout(t);
    this.timers.clear();
  }
}
