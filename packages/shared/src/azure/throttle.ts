import { armErrorOf } from './errors';

const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

/** Seconds ARM asked to wait, from a RestError's Retry-After header (or undefined). */
function retryAfterSeconds(error: unknown): number | undefined {
  const headers = (error as { response?: { headers?: { get?(name: string): string | undefined } } })?.response?.headers;
  const value = Number(headers?.get?.('retry-after'));
  return Number.isFinite(value) && value >= 0 ? value : undefined;
}

/**
 * Runs `fn` again while ARM answers 429, waiting as long as it asks. The SDK pipeline already
 * retries a 429 a few times; under sustained throttling (hundreds of writes from one principal)
 * that is not enough, and giving up would leave work half done for no reason of the user's.
 */
export async function retryWhenThrottled<T>(fn: () => Promise<T>, options: { attempts?: number; maxWaitSeconds?: number } = {}): Promise<T> {
  const attempts = options.attempts ?? 10;
  const maxWait = options.maxWaitSeconds ?? 60;
  for (let attempt = 1; ; attempt++) {
    try {
      return await fn();
    } catch (error) {
      if (armErrorOf(error).status !== 429 || attempt >= attempts) throw error;
      await sleep(Math.min(retryAfterSeconds(error) ?? 2 ** attempt, maxWait) * 1000);
    }
  }
}
