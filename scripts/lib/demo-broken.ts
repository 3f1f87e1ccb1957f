// The demo's broken world: a second resource group in the same stand-in, seeded with what the
// preflight (check-private-path) must catch before the composed flow writes anything: an NSG on
// the integration subnet that denies DNS, a cluster whose service CIDR takes in the integration
// subnet, and a kubenet cluster whose "DNS IP" is a pod IP. Each case is the composite's inputs
// and the error finding ids the preflight must stop the run with (the ids of the step README's
// findings table).
import type { Emulator } from '../../packages/emulator/src/index';

export interface BrokenCase {
  label: string;
  /** Composite inputs in place of the demo world's. */
  inputs: Record<string, string>;
  /** The distinct ids of the error findings the preflight must report, sorted. */
  errors: string[];
}

const RG = 'rg-broken';

export function seedBrokenWorld(e: Emulator): BrokenCase[] {
  e.seed.resourceGroup(RG, 'westeurope');
  const { vnet } = e.seed.vnet(RG, 'vnet-broken', {
    addressPrefixes: ['10.224.0.0/12'],
    subnets: [
      { name: 'aks-nodes', addressPrefix: '10.224.0.0/16' },
      { name: 'snet-webapp', addressPrefix: '10.225.0.0/26', delegations: ['Microsoft.Web/serverFarms'] },
    ],
  });
  // Someone's "lock down egress" rule: no destination limit, so it denies DNS to the cluster too.
  e.seed.networkSecurityGroup(RG, 'nsg-webapp', {
    subnetIds: [`${vnet.id}/subnets/snet-webapp`],
    rules: [{ name: 'deny-dns-out', priority: 200, access: 'Deny', protocol: '*', destinationPorts: '53' }],
  });
  e.seed.site(RG, 'app-broken', e.seed.plan(RG, 'plan-broken', { sku: 'P1v3' }).id);
  // The integration subnet was added after the cluster, inside the range its Services use.
  e.seed.cluster(RG, 'aks-overlap', { networkProfile: { serviceCidr: '10.225.0.0/16', dnsServiceIP: '10.225.0.10' } });
  e.seed.cluster(RG, 'aks-kubenet', { networkProfile: { networkPlugin: 'kubenet', networkPluginMode: undefined, podCidr: '10.244.0.0/16' } });
  const base = { webapp: 'app-broken', 'resource-group': RG, vnet: 'vnet-broken', subnet: 'snet-webapp', 'subnet-prefix': '', 'cluster-resource-group': RG, 'private-link': 'false', 'pls-visibility': '' };
  return [
    {
      label: 'an NSG denying DNS on the integration subnet, which lies inside the service CIDR',
      inputs: { ...base, 'cluster-name': 'aks-overlap', 'dns-ip': '10.224.0.53' },
      errors: ['nsg-blocks-dns', 'subnet-overlaps-service-cidr'],
    },
    {
      label: 'a kubenet cluster and a pod IP as the DNS IP',
      inputs: { ...base, 'cluster-name': 'aks-kubenet', 'dns-ip': '10.244.0.20' },
      errors: ['target-is-pod-ip'],
    },
  ];
}

/** The distinct ids of the error findings in check-private-path's `findings` output, sorted. */
export function errorIds(findings: string | undefined): string[] {
  const parsed = JSON.parse(findings || '[]') as { id: string; severity: string }[];
  return [...new Set(parsed.filter((f) => f.severity === 'error').map((f) => f.id))].sort();
}
