/** A task that failed in the pool, by the label it was started with. */
export interface PoolFailure {
  label: string;
  error: unknown;
}

/**
 * Runs tasks with at most `limit` in flight. `start` resolves once the task has a slot (so a
 * caller starting tasks one after another is held back instead of queueing thousands), not when
 * it ends; `drain` waits for all of them. A failing task is recorded, never thrown, so one bad
 * connection cannot abandon the others.
 */
export class BoundedPool {
  private running = 0;
  private readonly waiting: (() => void)[] = [];
  private readonly tasks: Promise<void>[] = [];
  private readonly failures: PoolFailure[] = [];

  constructor(readonly limit: number) {
    if (!Number.isInteger(limit) || limit < 1) throw new Error(`pool limit must be a positive integer, not ${limit}`);
  }

  async start(label: string, task: () => Promise<void>): Promise<void> {
    while (this.running >= this.limit) await new Promise<void>((resolve) => this.waiting.push(resolve));
    this.running++;
    this.tasks.push(
      (async () => {
        try {
          await task();
        } catch (error) {
          this.failures.push({ label, error });
        } finally {
          this.running--;
          this.waiting.shift()?.();
        }
      })(),
    );
  }

  /** Waits for every started task; returns the failures in the order they happened. */
  async drain(): Promise<PoolFailure[]> {
    await Promise.all(this.tasks);
    return [...this.failures];
  }
}
