import { AppsV1Api, CoreV1Api, KubeConfig, Watch } from '@kubernetes/client-node';
import { startKube, type KubeOptions, type KubeServer } from '../src/kube/server';

export interface KubeClients {
  kc: KubeConfig;
  core: CoreV1Api;
  apps: AppsV1Api;
  watch: Watch;
}

export function clientsFor(server: KubeServer, opts: { https?: boolean; token?: string } = {}): KubeClients {
  const kc = new KubeConfig();
  kc.loadFromString(server.kubeconfig({ https: opts.https ?? false, token: opts.token }));
  return { kc, core: kc.makeApiClient(CoreV1Api), apps: kc.makeApiClient(AppsV1Api), watch: new Watch(kc) };
}

/** Starts a stand-in with fast controllers, for tests. */
export async function startTestKube(options: KubeOptions = {}): Promise<KubeServer> {
  return startKube({ rolloutDelayMs: 30, bookmarkIntervalMs: 100, ...options });
}

/** The Status body of a client-node ApiException. */
export function statusOf(err: unknown): { code: number; reason?: string; message?: string; details?: Record<string, unknown> } {
  const e = err as { code?: number; body?: unknown };
  if (typeof e.code !== 'number') throw err;
  const body = typeof e.body === 'string' ? (JSON.parse(e.body) as Record<string, unknown>) : ((e.body ?? {}) as Record<string, unknown>);
  return { code: e.code, ...(body as object) } as { code: number; reason?: string; message?: string };
}

export async function rejects(p: Promise<unknown>): Promise<ReturnType<typeof statusOf>> {
  try {
    await p;
  } catch (e) {
    return statusOf(e);
  }
  throw new Error('expected the request to fail');
}

export const until = async <T>(fn: () => T | undefined | Promise<T | undefined>, timeoutMs = 3000): Promise<T> => {
  const end = Date.now() + timeoutMs;
  for (;;) {
    const v = await fn();
    if (v !== undefined && v !== false) return v as T;
    if (Date.now() > end) throw new Error('condition not met in time');
    await new Promise((r) => setTimeout(r, 10));
  }
};
