import { InputProblems } from '@private-wire/shared/errors';
import type { StepInputs } from '@private-wire/shared/engine/step';
import type { Host } from '@private-wire/shared/hosts/host';
import { azureSignInSettings, type AzureSignInSettings } from '@private-wire/shared/azure/inputs';
import { isNetworkResourceName, isResourceGroupName } from '@private-wire/shared/azure/names';
import { SUBSCRIPTION_NOT_KNOWN_YET, resolveResource, type ResourceId } from '@private-wire/shared/azure/resource-id';
import { resolveWebApp, type WebAppTarget } from '@private-wire/shared/azure/web-apps';
import { clusterSettings, type ClusterSettings } from '@private-wire/shared/kubernetes/inputs';
import { isDns1035Label, isDns1123Label } from '@private-wire/shared/kubernetes/validation';
import { isIpv4, parseIpv4Cidr } from '@private-wire/shared/net/ipv4';
import type { checkPrivatePathMetadata } from './metadata';

/**
 * AKS cluster names: the `resourceName` parameter of Microsoft.ContainerService managedClusters
 * (azure-rest-api-specs specification/containerservice/resource-manager/Microsoft.ContainerService/aks
 * managedClusters.json: pattern `^[a-zA-Z0-9]$|^[a-zA-Z0-9][-_a-zA-Z0-9]{0,61}[a-zA-Z0-9]$`).
 */
const AKS_NAME = /^[a-zA-Z0-9]$|^[a-zA-Z0-9][-_a-zA-Z0-9]{0,61}[a-zA-Z0-9]$/;
/** An RFC 1123 label, as Kubernetes names Services and namespaces (k8s.io/apimachinery validation IsDNS1123Label). */
/** A DNS name of labels (RFC 1035 letters, digits, hyphens; RFC 2181 allows 63 per label). */
const DNS_NAME = /^(?=.{1,253}\.?$)([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?)(\.[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?)*\.?$/i;

export interface CheckSettings {
  azure: AzureSignInSettings;
  target(subscriptionId: string): WebAppTarget;
  vnet(subscriptionId: string, webappResourceGroup: string): ResourceId;
  subnet: string;
  subnetPrefix?: string;
  cluster: { resourceGroup: string; name: string };
  /** How to reach the cluster's Kubernetes API (for `service` and `zone`), as the Kubernetes steps do. */
  kube: ClusterSettings;
  service?: { name: string; namespace: string; port?: number };
  zone?: string;
  dnsIp?: string;
  failOn: 'error' | 'warning';
  /** `preflight`: topology only; `verify`: topology and proof from the app's side (verify.ts). */
  mode: 'preflight' | 'verify';
  names: { webapp: string; slot: string; resourceGroup: string; vnet: string; clusterName: string; clusterResourceGroup: string };
}

type Inputs = StepInputs<typeof checkPrivatePathMetadata>;

/** Validates and types every input, without I/O; every bad input is reported at once. */
export function checkSettings(inputs: Inputs, host: Host): CheckSettings {
  const n = (name: string) => host.inputName(name);
  const problems = new InputProblems();
  const target = (subscriptionId: string) => resolveWebApp(host, { webapp: inputs.webapp, resourceGroup: inputs['resource-group'], slot: inputs.slot, subscriptionId });
  const vnet = (subscriptionId: string, webappResourceGroup: string) =>
    resolveResource({
      value: inputs.vnet,
      input: n('vnet'),
      provider: 'Microsoft.Network',
      types: ['virtualNetworks'],
      resourceGroup: inputs['vnet-resource-group'] ?? inputs['resource-group'] ?? webappResourceGroup,
      resourceGroupInput: n('vnet-resource-group'),
      subscriptionId,
    });
  const app = problems.attempt(() => target(SUBSCRIPTION_NOT_KNOWN_YET));
  problems.attempt(() => vnet(SUBSCRIPTION_NOT_KNOWN_YET, app?.resourceGroup ?? ''));
  const check = (ok: boolean, message: string, hint: string) => problems.expect(ok, message, hint);
  check(isNetworkResourceName(inputs.subnet), `Input '${n('subnet')}' is '${inputs.subnet}', which is not a valid subnet name.`, 'Use 1-80 letters, digits, underscores, periods or hyphens, starting with a letter or digit.');
  const prefix = inputs['subnet-prefix'];
  if (prefix) {
    const cidr = parseIpv4Cidr(prefix);
    check(!!cidr?.exact, `Input '${n('subnet-prefix')}' is '${prefix}', which is not an IPv4 CIDR range without host bits.`, `Give an address range such as ${cidr?.canonical ?? '10.0.4.0/26'}.`);
  }
  const cluster = { resourceGroup: inputs['cluster-resource-group'], name: inputs['cluster-name'] };
  check(isResourceGroupName(cluster.resourceGroup), `Input '${n('cluster-resource-group')}' is '${cluster.resourceGroup}', which is not a valid resource group name.`, 'Use 1-90 letters, digits, underscores, hyphens, periods or parentheses, not ending in a period.');
  check(AKS_NAME.test(cluster.name), `Input '${n('cluster-name')}' is '${cluster.name}', which is not a valid AKS cluster name.`, 'Use 1-63 letters, digits, hyphens or underscores, starting and ending with a letter or digit.');
  if (inputs['dns-ip']) check(isIpv4(inputs['dns-ip']), `Input '${n('dns-ip')}' is '${inputs['dns-ip']}', which is not an IPv4 address.`, 'Give the IPv4 address of the cluster DNS internal load balancer, e.g. 10.224.0.10.');
  if (inputs.zone) check(DNS_NAME.test(inputs.zone), `Input '${n('zone')}' is '${inputs.zone}', which is not a DNS name.`, 'Give a zone such as svc.example.internal.');
  // service.namespace.zone becomes part of a command line run in the app's sandbox (verify): only
  // DNS labels pass.
  if (inputs.service) check(isDns1035Label(inputs.service), `Input '${n('service')}' is '${inputs.service}', which is not a Kubernetes Service name (DNS-1035 label).`, 'Use lower-case letters, digits and hyphens (at most 63), starting with a letter and ending with a letter or digit.');
  check(isDns1123Label(inputs.namespace), `Input '${n('namespace')}' is '${inputs.namespace}', which is not a Kubernetes namespace name.`, 'Use lower-case letters, digits and hyphens (at most 63), starting and ending with a letter or digit.');
  if (inputs.port !== undefined && !inputs.service) check(false, `Input '${n('port')}' is '${inputs.port}', but '${n('service')}' is not given.`, `Give '${n('service')}' too, or remove '${n('port')}'.`);
  problems.throwIfAny();
  return {
    azure: azureSignInSettings(inputs),
    target,
    vnet,
    subnet: inputs.subnet,
    subnetPrefix: prefix ? parseIpv4Cidr(prefix)!.canonical : undefined,
    cluster,
    kube: clusterSettings(inputs),
    service: inputs.service ? { name: inputs.service, namespace: inputs.namespace, port: inputs.port } : undefined,
    zone: inputs.zone,
    dnsIp: inputs['dns-ip'],
    failOn: inputs['fail-on'] as 'error' | 'warning',
    mode: inputs.mode as 'preflight' | 'verify',
    names: { webapp: n('webapp'), slot: n('slot'), resourceGroup: n('resource-group'), vnet: n('vnet'), clusterName: n('cluster-name'), clusterResourceGroup: n('cluster-resource-group') },
  };
}
