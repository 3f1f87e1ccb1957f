// The parties around the demo's Private Link Service once expose-internal-service has made it: a
// consumer in another subscription who requests a private endpoint with create-private-endpoint,
// an Azure Front Door Premium profile with a private origin to it, and an unknown requester.
// approve-pe-connections must approve the first two and leave the third pending.
import { request } from 'node:https';
import path from 'node:path';
import type { Emulator } from '../../packages/emulator/src/index';
import { CONSUMER_SUBSCRIPTION, STRANGER_SUBSCRIPTION, runnerEnv, type DemoWorld } from './demo-world';
import { runGitHubAction, type GitHubRun } from './runners';

const root = path.resolve(__dirname, '..', '..');

export const FRONT_DOOR = 'afd-demo';
/** The consumer's private DNS zone, where its endpoint's IP is published. */
export const CONSUMER_ZONE = 'partners.contoso';

export interface PrivateLinkParties {
  strangerConnectionId: string;
  frontDoorOriginId: string;
}

/** The consumer's side: its own subscription, VNet and a private DNS zone linked to it. */
export function seedConsumer(e: Emulator): void {
  e.seed.resourceGroup('rg-consumer', 'westeurope', CONSUMER_SUBSCRIPTION);
  const { vnet } = e.seed.vnet('rg-consumer', 'vnet-consumer', { subscriptionId: CONSUMER_SUBSCRIPTION, addressPrefixes: ['10.50.0.0/16'], subnets: [{ name: 'snet-pe', addressPrefix: '10.50.1.0/24' }] });
  e.seed.privateDnsZone('rg-consumer', CONSUMER_ZONE, { subscriptionId: CONSUMER_SUBSCRIPTION, linkedVnets: [vnet.id] });
}

/** The consumer's request (or, with `waitForApproval`, its check that the provider approved), through the shipped bundle. */
export function requestFromConsumer(e: Emulator, world: DemoWorld, alias: string, waitForApproval = false): Promise<GitHubRun> {
  const inputs = {
    'client-id': world.clientId,
    'tenant-id': e.tenantId,
    'subscription-id': CONSUMER_SUBSCRIPTION,
    environment: 'Custom',
    'resource-manager-endpoint': e.urls.arm,
    'authority-host': e.urls.authorityHost,
    name: 'pe-payments',
    'resource-group': 'rg-consumer',
    vnet: 'vnet-consumer',
    subnet: 'snet-pe',
    target: alias,
    'dns-zone': CONSUMER_ZONE,
    'dns-record': 'payments',
    'wait-for-approval': String(waitForApproval),
    timeout: '60',
  };
  return runGitHubAction(path.join(root, 'actions', 'create-private-endpoint', 'dist', 'index.js'), inputs, { env: runnerEnv(e) });
}

/** Front Door's private origin (its endpoint lives in a Microsoft subscription) and an unknown requester. */
export function seedOtherRequesters(e: Emulator, world: DemoWorld, plsId: string): PrivateLinkParties {
  const profile = e.seed.frontDoorProfile(world.rg, FRONT_DOOR);
  const origin = e.seed.frontDoorOrigin(profile.id, 'og-backend', 'o-aks', { targetId: plsId, requestMessage: 'afd-demo origin o-aks 7f3c' });
  const stranger = e.seed.privateEndpointRequest(plsId, { subscriptionId: STRANGER_SUBSCRIPTION, name: 'pe-unknown' });
  return { strangerConnectionId: stranger.connection.id, frontDoorOriginId: origin.id };
}

/**
 * The origin as Front Door's owner sees it through ARM (its sharedPrivateLinkResource.status
 * follows the target owner's decision; the stand-in computes it when the origin is read).
 */
export async function readOriginStatus(e: Emulator, originId: string): Promise<string> {
  const token = e.issueAccessToken({ appId: 'demo-reader', objectId: 'demo-reader' }, 'https://management.azure.com/');
  const url = new URL(`${e.urls.arm}${originId}?api-version=2025-09-01`);
  const body = await new Promise<string>((resolve, reject) => {
    const req = request(url, { ca: e.tls.caPem, headers: { authorization: `Bearer ${token}` }, timeout: 10_000 }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => resolve(Buffer.concat(chunks).toString()));
    });
    req.on('timeout', () => req.destroy(new Error(`GET ${originId} timed out`)));
    req.on('error', reject);
    req.end();
  });
  const origin = JSON.parse(body) as { properties?: { sharedPrivateLinkResource?: { status?: string } } };
  return origin.properties?.sharedPrivateLinkResource?.status ?? `unreadable (${body.slice(0, 120)})`;
}
