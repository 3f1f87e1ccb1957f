import { InputProblems } from '../../errors';
import type { Host } from '../../hosts/host';
import { azureSignInSettings, type AzureSignInSettings } from '../../azure/inputs';
import { clusterSettings, type ClusterSettings } from '../../kubernetes/inputs';
import {
  LB_INTERNAL,
  LB_INTERNAL_SUBNET,
  PLS_AUTO_APPROVAL,
  PLS_CREATE,
  PLS_IP_CONFIGURATION_IP_ADDRESS,
  PLS_IP_CONFIGURATION_IP_ADDRESS_COUNT,
  PLS_IP_CONFIGURATION_SUBNET,
  PLS_NAME,
  PLS_PROXY_PROTOCOL,
  PLS_RESOURCE_GROUP,
  PLS_VISIBILITY,
  TRUE,
  joinWords,
} from '../../kubernetes/azure-annotations';
import { GUID, isAzureResourceName, isAzureSubnetName, isDns1035Label, isDns1123Label, isIpv4, isResourceGroupName } from '../../kubernetes/validation';
import { privateFrontendProblem } from '../../net/ipv4';
import { parsePorts, parseSelector, type ServicePortSpec } from './ports';

export interface ExposeSettings {
  namespace: string;
  service: string;
  /** Only for a Service that does not exist yet. */
  selector?: Record<string, string>;
  ports?: ServicePortSpec[];
  /** The pinned IP input (`azure-load-balancer-ipv4`). */
  ip?: string;
  /** Every annotation we own except the IP, which depends on the Service (loadBalancerIP migration). */
  annotations: Record<string, string>;
  /** true: make the PLS as the inputs say; false: remove ours; undefined: leave it as it is. */
  privateLink?: boolean;
  proxyProtocol: boolean;
  plsName?: string;
  plsResourceGroup?: string;
  wait: boolean;
  azure: AzureSignInSettings;
  cluster: ClusterSettings;
}

const PLS_INPUTS = ['pls-name', 'pls-resource-group', 'pls-subnet', 'pls-ip-count', 'pls-ips', 'pls-visibility', 'pls-auto-approval'] as const;

/** List inputs split on commas and newlines by the engine; the provider splits on spaces, so accept those too. */
const words = (entries: readonly string[] | undefined) => (entries ?? []).flatMap((e) => e.split(/\s+/)).filter((w) => w.length > 0);

/** Validates and types every input, without I/O; all problems are reported together. */
export function exposeSettings(inputs: Record<string, unknown>, host: Host): ExposeSettings {
  const problems = new InputProblems();
  const shown = (name: string) => host.inputName(name);
  const check = (ok: boolean, message: string, hint: string) => problems.expect(ok, message, hint);
  const text = (name: string) => ((inputs[name] as string | undefined) ?? '').trim() || undefined;
  const list = (name: string) => (inputs[name] as string[] | undefined) ?? [];

  const namespace = text('namespace') ?? 'default';
  const service = text('service') ?? '';
  check(isDns1123Label(namespace), `Input '${shown('namespace')}' is '${namespace}', which is not a valid namespace name.`, 'Use lower-case letters, digits and hyphens (at most 63), starting and ending with a letter or digit.');
  check(isDns1035Label(service), `Input '${shown('service')}' is '${service}', which is not a valid Service name (DNS-1035 label).`, 'Use lower-case letters, digits and hyphens (at most 63), starting with a letter and ending with a letter or digit.');

  const attempt = <T>(fn: () => T) => problems.attempt(fn);
  const selector = list('selector').length ? attempt(() => parseSelector(list('selector'), shown('selector'))) : undefined;
  const ports = list('ports').length ? attempt(() => parsePorts(list('ports'), shown('ports'))) : undefined;

  const subnet = text('subnet');
  if (subnet) check(isAzureSubnetName(subnet), `Input '${shown('subnet')}' is '${subnet}', which is not a subnet name.`, 'Give the subnet\'s name in the cluster\'s VNet (not its resource ID): letters, digits, `_`, `.`, `-`, at most 80.');
  const ip = text('ip');
  if (ip) {
    const problem = isIpv4(ip) ? privateFrontendProblem(ip) : 'not an IPv4 address';
    check(!problem, `Input '${shown('ip')}' is '${ip}', which is ${problem}.`, 'Give a free private IPv4 address inside the load balancer subnet, e.g. 10.224.0.50.');
  }

  const privateLink = inputs['private-link'] as boolean | undefined;
  const proxyProtocol = inputs['pls-proxy-protocol'] === true;
  if (privateLink !== true) {
    for (const name of PLS_INPUTS) {
      const given = name === 'pls-ip-count' ? inputs[name] !== undefined : Array.isArray(inputs[name]) ? list(name).length > 0 : !!text(name);
      check(!given, `Input '${shown(name)}' is given, but '${shown('private-link')}' is not true.`, `Set '${shown('private-link')}' to true to create a Private Link Service, or remove '${shown(name)}'.`);
    }
    check(!proxyProtocol, `Input '${shown('pls-proxy-protocol')}' is true, but '${shown('private-link')}' is not true.`, `Set '${shown('private-link')}' to true, or remove '${shown('pls-proxy-protocol')}'.`);
  }

  const annotations: Record<string, string> = { [LB_INTERNAL]: TRUE };
  if (subnet) annotations[LB_INTERNAL_SUBNET] = subnet;
  const plsName = text('pls-name');
  const plsResourceGroup = text('pls-resource-group');
  if (privateLink) {
    annotations[PLS_CREATE] = TRUE;
    if (plsName) {
      check(isAzureResourceName(plsName), `Input '${shown('pls-name')}' is '${plsName}', which is not a valid Private Link Service name.`, 'Use 1–80 letters, digits, `_`, `.` or `-`, starting with a letter or digit and ending with a letter, digit or `_`.');
      annotations[PLS_NAME] = plsName;
    }
    if (plsResourceGroup) {
      check(isResourceGroupName(plsResourceGroup), `Input '${shown('pls-resource-group')}' is '${plsResourceGroup}', which is not a valid resource group name.`, 'Use up to 90 letters, digits, `_`, `(`, `)`, `-` or `.`, not ending in `.`.');
      annotations[PLS_RESOURCE_GROUP] = plsResourceGroup;
    }
    const plsSubnet = text('pls-subnet');
    if (plsSubnet) {
      check(isAzureSubnetName(plsSubnet), `Input '${shown('pls-subnet')}' is '${plsSubnet}', which is not a subnet name.`, 'Give the subnet\'s name in the cluster\'s VNet (not its resource ID).');
      annotations[PLS_IP_CONFIGURATION_SUBNET] = plsSubnet;
    }
    const count = inputs['pls-ip-count'] as number | undefined;
    if (count !== undefined) annotations[PLS_IP_CONFIGURATION_IP_ADDRESS_COUNT] = String(count);
    const staticIps = [...new Set(words(list('pls-ips')))];
    for (const address of staticIps) {
      const problem = isIpv4(address) ? privateFrontendProblem(address) : `not an IPv4 address${address.includes(':') ? ' (Private Link Service NAT IPs are IPv4 only)' : ''}`;
      check(!problem, `Input '${shown('pls-ips')}' has '${address}', which is ${problem}.`, 'Give free IPv4 addresses inside the PLS subnet, e.g. 10.224.1.10.');
    }
    // The provider refuses more static IPs than IP configurations (ipConfigCount must be no smaller).
    check(
      staticIps.length <= (count ?? 1),
      `Input '${shown('pls-ips')}' has ${staticIps.length} addresses, more than '${shown('pls-ip-count')}' (${count ?? '1, the default'}).`,
      `Set '${shown('pls-ip-count')}' to at least ${staticIps.length}, or give fewer addresses.`,
    );
    if (staticIps.length) annotations[PLS_IP_CONFIGURATION_IP_ADDRESS] = joinWords(staticIps);
    const visibility = words(list('pls-visibility'));
    for (const v of visibility) {
      check(v === '*' || GUID.test(v), `Input '${shown('pls-visibility')}' has '${v}', which is neither a subscription ID nor '*'.`, 'Give subscription IDs (GUIDs) or `*` for every subscription.');
    }
    // The provider collapses a list containing `*` to `*`; write what it will read.
    if (visibility.length) annotations[PLS_VISIBILITY] = visibility.includes('*') ? '*' : joinWords([...new Set(visibility)]);
    const autoApproval = words(list('pls-auto-approval'));
    for (const v of autoApproval) {
      check(GUID.test(v), `Input '${shown('pls-auto-approval')}' has '${v}', which is not a subscription ID.`, 'Give the subscription IDs (GUIDs) whose private endpoints are approved without review.');
    }
    if (autoApproval.length) annotations[PLS_AUTO_APPROVAL] = joinWords([...new Set(autoApproval)]);
    if (proxyProtocol) annotations[PLS_PROXY_PROTOCOL] = TRUE;
  }

  problems.throwIfAny();
  return {
    namespace,
    service,
    selector,
    ports,
    ip,
    annotations,
    privateLink,
    proxyProtocol,
    plsName,
    plsResourceGroup,
    wait: inputs.wait !== false,
    azure: azureSignInSettings(inputs),
    cluster: clusterSettings(inputs),
  };
}
