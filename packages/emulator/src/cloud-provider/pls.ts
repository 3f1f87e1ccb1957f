import { randomUUID } from 'node:crypto';
import type { ArmResource } from '../arm/store';
import { isIpv4 } from '../kube/ipv4';
import {
  isTrue,
  PLS_AUTO_APPROVAL,
  PLS_CONFIG_ANNOTATIONS,
  PLS_FQDNS,
  PLS_IP_CONFIGURATION_IP_ADDRESS,
  PLS_IP_CONFIGURATION_IP_ADDRESS_COUNT,
  PLS_NAME,
  PLS_PROXY_PROTOCOL,
  PLS_VISIBILITY,
  TAG_CLUSTER_NAME,
  TAG_OWNER_SERVICE,
} from './annotations';

/** A reconcile failure: becomes a SyncLoadBalancerFailed Warning event, as in the real controller. */
export class ProviderError extends Error {}

const words = (v: string | undefined) => (v ?? '').trim().split(' ').map((s) => s.trim()).filter(Boolean);

export interface PlsSpec {
  name: string;
  count: number;
  staticIps: string[];
  fqdns: string[];
  proxyProtocol: boolean;
  visibility: string[];
  autoApproval: string[];
}

/** Reads and validates the `azure-pls-*` annotations with cloud-provider-azure's rules and messages. */
export function plsSpec(annotations: Record<string, string>, serviceName: string, frontendName: string, existingName?: string): PlsSpec {
  let name = `pls-${frontendName}`;
  if (PLS_NAME in annotations) {
    const fromService = annotations[PLS_NAME]!.trim();
    if (existingName && existingName.toLowerCase() !== fromService.toLowerCase()) {
      throw new ProviderError(`getPrivateLinkServiceName(${serviceName}) failed: cannot change existing private link service name (${existingName}) to (${fromService})`);
    }
    name = fromService;
  } else if (existingName) name = existingName;

  let count = 1;
  const rawCount = annotations[PLS_IP_CONFIGURATION_IP_ADDRESS_COUNT];
  if (rawCount !== undefined) {
    if (!/^-?\d+$/.test(rawCount.trim())) throw new ProviderError(`failed to parse annotation ${PLS_IP_CONFIGURATION_IP_ADDRESS_COUNT}: strconv.ParseInt: parsing ${JSON.stringify(rawCount)}: invalid syntax`);
    count = Number(rawCount.trim());
    if (count < 1) throw new ProviderError(`minimum number of private link service ipConfig is 1, ${count} provided`);
    if (count > 8) throw new ProviderError(`maximum number of private link service ipConfig is 8, ${count} provided`);
  }
  const staticIps: string[] = [];
  for (const ip of words(annotations[PLS_IP_CONFIGURATION_IP_ADDRESS])) {
    if (!isIpv4(ip)) {
      if (ip.includes(':')) throw new ProviderError(`getPLSStaticIPs: private link service ip config only supports IPv4, ${ip} provided`);
      throw new ProviderError(`getPLSStaticIPs: ${ip} is not a valid IP address`);
    }
    if (!staticIps.includes(ip)) staticIps.push(ip);
  }
  if (count < staticIps.length) {
    throw new ProviderError(`checkAndUpdatePLSIPConfigs: ipConfigCount(${count}) must be no smaller than number of static IPs specified(${staticIps.length})`);
  }
  const vis = words(annotations[PLS_VISIBILITY]);
  return {
    name,
    count,
    staticIps,
    fqdns: words(annotations[PLS_FQDNS]),
    proxyProtocol: isTrue(annotations, PLS_PROXY_PROTOCOL),
    // "*" anywhere means everyone, as getPLSVisibility collapses it.
    visibility: vis.includes('*') ? ['*'] : vis,
    // Written as given, whatever the visibility. The consts.go comment still says auto-approval
    // "only works when visibility is set to \"*\"", but the controller's check (an error
    // `reconcilePLSVisibility: autoApproval only takes effect when visibility is set to "*"`) was
    // removed in cloud-provider-azure commit 13978a6 "remove auto approval restriction" (June 2022,
    // kubernetes-sigs/cloud-provider-azure#1859); pkg/provider/azure_privatelinkservice.go
    // reconcilePLSVisibility now copies both lists. Azure documents auto-approval as "a subset of the
    // visibility array" (MicrosoftDocs/azure-docs articles/private-link/private-link-service-overview.md);
    // no source says how the network RP answers a subscription outside it, so it is stored as sent.
    autoApproval: words(annotations[PLS_AUTO_APPROVAL]),
  };
}

export const hasPlsConfig = (annotations: Record<string, string>) => PLS_CONFIG_ANNOTATIONS.some((k) => k in annotations);

export interface PlsContext {
  id: string;
  location: string;
  clusterName: string;
  owner: string;
  subnet: { id: string; name: string };
  frontendIpConfigurationId: string;
  /** Addresses for the dynamic IP configurations (allocated by the caller from the subnet). */
  dynamicIps: string[];
}

/** The PLS resource cloud-provider-azure would PUT; alias and NIC are kept from `existing`. */
export function buildPls(spec: PlsSpec, ctx: PlsContext, existing: ArmResource | undefined): ArmResource {
  const old = (existing?.properties ?? {}) as Record<string, unknown>;
  const prefix = `${ctx.subnet.name}-${spec.name}`.slice(0, 80);
  const ipc = (suffix: string, ip: string, allocation: 'Static' | 'Dynamic', primary: boolean) => ({
    name: `${prefix.slice(0, 80 - suffix.length)}${suffix}`,
    id: `${ctx.id}/ipConfigurations/${prefix.slice(0, 80 - suffix.length)}${suffix}`,
    type: 'Microsoft.Network/privateLinkServices/ipConfigurations',
    properties: { privateIPAddress: ip, privateIPAllocationMethod: allocation, subnet: { id: ctx.subnet.id }, primary, privateIPAddressVersion: 'IPv4', provisioningState: 'Succeeded' },
  });
  const ipConfigurations = [
    ...spec.staticIps.map((ip, i) => ipc(`-static-${ip}`, ip, 'Static', i === 0)),
    ...ctx.dynamicIps.map((ip, i) => ipc(`-dynamic-${i}`, ip, 'Dynamic', spec.staticIps.length === 0 && i === 0)),
  ];
  const group = ctx.id.replace(/\/providers\/.*$/, '');
  return {
    id: ctx.id,
    name: spec.name,
    type: 'Microsoft.Network/privateLinkServices',
    location: ctx.location,
    tags: { ...(existing?.tags ?? {}), [TAG_CLUSTER_NAME]: ctx.clusterName, [TAG_OWNER_SERVICE]: ctx.owner },
    properties: {
      provisioningState: 'Succeeded',
      alias: old['alias'] ?? `${spec.name}.${randomUUID()}.${ctx.location}.azure.privatelinkservice`,
      visibility: { subscriptions: spec.visibility },
      autoApproval: { subscriptions: spec.autoApproval },
      enableProxyProtocol: spec.proxyProtocol,
      fqdns: spec.fqdns,
      ipConfigurations,
      loadBalancerFrontendIpConfigurations: [{ id: ctx.frontendIpConfigurationId }],
      networkInterfaces: old['networkInterfaces'] ?? [{ id: `${group}/providers/Microsoft.Network/networkInterfaces/${spec.name}.nic.${randomUUID()}` }],
    },
  };
}
