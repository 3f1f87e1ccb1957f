import { ClientSecretCredential } from '@azure/identity';
import { startEmulator, type Emulator, type EmulatorOptions } from '../src/index';

/** A started emulator with one service principal (client secret) and a resource group. */
export async function world(options: EmulatorOptions = {}) {
  const e = await startEmulator(options);
  const app = e.registerApp({ secret: 's3cret-value' });
  e.seed.resourceGroup('rg', 'westeurope');
  const credential = new ClientSecretCredential(e.tenantId, app.clientId, 's3cret-value', clientOptions(e));
  return { e, app, credential };
}

/** Options every SDK client needs against the stand-in: its CA, fast retries. */
export function clientOptions(e: Emulator) {
  return {
    authorityHost: e.urls.authorityHost,
    disableInstanceDiscovery: true,
    tlsOptions: { ca: e.tls.caPem },
    retryOptions: { retryDelayInMs: 10, maxRetryDelayInMs: 50 },
  };
}

export function armOptions(e: Emulator) {
  return { endpoint: e.urls.arm, tlsOptions: { ca: e.tls.caPem }, retryOptions: { retryDelayInMs: 10, maxRetryDelayInMs: 50 } };
}

/** Poller options so LROs poll fast. */
export const fast = { updateIntervalInMs: 5 };

/** The ARM error code of a RestError thrown by an SDK call. */
export async function armCode(p: Promise<unknown>): Promise<string> {
  try {
    await p;
  } catch (e) {
    return String((e as { code?: string }).code);
  }
  throw new Error('expected the call to fail');
}

/** Raw ARM call (for headers the SDKs do not expose). token null = no Authorization header. */
export async function fetchArm(w: World, method: string, path: string, body?: unknown, headers: Record<string, string> = {}, token?: string | null) {
  const { request } = await import('node:https');
  const auth = token === undefined ? (await w.credential.getToken('https://management.azure.com/.default'))!.token : token;
  const url = new URL(path.startsWith('http') ? path : w.e.urls.arm + path);
  return await new Promise<{ status: number; json: () => Promise<unknown>; headers: Record<string, unknown> }>((resolve, reject) => {
    const req = request(url, { method, ca: w.e.tls.caPem, headers: { ...(auth ? { authorization: `Bearer ${auth}` } : {}), 'content-type': 'application/json', ...headers } }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, json: async () => JSON.parse(Buffer.concat(chunks).toString() || 'null') as unknown }));
    });
    req.on('error', reject);
    req.end(body === undefined ? undefined : JSON.stringify(body));
  });
}

type World = Awaited<ReturnType<typeof world>>;

/** PUT then poll Azure-AsyncOperation until it leaves InProgress, as an ARM client does. */
export async function putAndPoll(w: World, path: string, body: unknown) {
  const res = await fetchArm(w, 'PUT', `${path}?api-version=2024-05-01`, body);
  const initial = { status: res.status, headers: res.headers, body: await res.json() };
  if (res.status >= 300) throw new Error(`PUT ${path} failed: ${res.status} ${JSON.stringify(initial.body)}`);
  const op = String(res.headers['azure-asyncoperation'] ?? '');
  let final: { status: string } = { status: 'Succeeded' };
  for (let i = 0; op && i < 200; i++) {
    final = (await (await fetchArm(w, 'GET', op)).json()) as { status: string };
    if (final.status !== 'InProgress') break;
    await new Promise((r) => setTimeout(r, 5));
  }
  return { initial, final };
}
