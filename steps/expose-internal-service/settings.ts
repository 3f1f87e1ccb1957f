import { InputProblems } from '@private-wire/shared/errors';
import type { StepInputs } from '@private-wire/shared/engine/step';
import type { Host } from '@private-wire/shared/hosts/host';
import { azureSignInSettings, type AzureSignInSettings } from '@private-wire/shared/azure/inputs';
import { clusterSettings, type ClusterSettings } from '@private-wire/shared/kubernetes/inputs';
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
} from '@private-wire/shared/kubernetes/azure-annotations';
import { isGuid, isNetworkResourceName, isResourceGroupName } from '@private-wire/shared/azure/names';
import { isDns1035Label, isDns1123Label } from '@private-wire/shared/kubernetes/validation';
import { isIpv4, privateFrontendProblem } from '@private-wire/shared/net/ipv4';
import type { exposeInternalServiceMetadata } from './metadata';
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
  wait: boolean;
  azure: AzureSignInSettings;
  cluster: ClusterSettings;
}

type Inputs = StepInputs<typeof exposeInternalServiceMetadata>;

const PLS_INPUTS = ['pls-name', 'pls-resource-group', 'pls-subnet', 'pls-ip-count', 'pls-ips', 'pls-visibility', 'pls-auto-approval'] as const;

/** List inputs split on commas and newlines by the engine; the provider splits on spaces, so accept those too. */
const words = (entries: readonly string[]) => entries.flatMap((e) => e.split(/\s+/)).filter((w) => w.length > 0);

/** Checks one input value as the settings parts below do: `problems.expect`, shown by the host's input name. */
interface Checker {
  shown(name: string): string;
  check(ok: boolean, message: string, hint: string): void;
  problems: InputProblems;
}

function checker(host: Host): Checker {
  const problems = new InputProblems();
  return { problems, shown: (name) => host.inputName(name), check: (ok, message, hint) => problems.expect(ok, message, hint) };
}

/** Validates and types every input, without I/O; all problems are reported together. */
export function exposeSettings(inputs: Inputs, host: Host): ExposeSettings {
  const c = checker(host);
  const { namespace, service } = inputs;
  c.check(isDns1123Label(namespace), `Input '${c.shown('namespace')}' is '${namespace}', which is not a valid namespace name.`, 'Use lower-case letters, digits and hyphens (at most 63), starting and ending with a letter or digit.');
  c.check(isDns1035Label(service), `Input '${c.shown('service')}' is '${service}', which is not a valid Service name (DNS-1035 label).`, 'Use lower-case letters, digits and hyphens (at most 63), starting with a letter and ending with a letter or digit.');
  const selector = inputs.selector.length ? c.problems.attempt(() => parseSelector(inputs.selector, c.shown('selector'))) : undefined;
  const ports = inputs.ports.length ? c.problems.attempt(() => parsePorts(inputs.ports, c.shown('ports'))) : undefined;
  const loadBalancer = loadBalancerAnnotations(inputs, c);
  const privateLink = inputs['private-link'];
  const pls = privateLink === true ? privateLinkAnnotations(inputs, c) : (refusePlsInputs(inputs, c), {});
  checkClusterNamed(inputs, c);
  c.problems.throwIfAny();
  return {
    namespace,
    service,
    selector,
    ports,
    ip: inputs.ip,
    annotations: { ...loadBalancer, ...pls },
    privateLink,
    proxyProtocol: inputs['pls-proxy-protocol'],
    wait: inputs.wait,
    azure: azureSignInSettings(inputs),
    cluster: clusterSettings(inputs),
  };
}

/** The internal load balancer's annotations (the pinned IP is added by the plan: it depends on the Service). */
function loadBalancerAnnotations(inputs: Inputs, c: Checker): Record<string, string> {
  const annotations: Record<string, string> = { [LB_INTERNAL]: TRUE };
  const { subnet, ip } = inputs;
  if (subnet) {
    c.check(isNetworkResourceName(subnet), `Input '${c.shown('subnet')}' is '${subnet}', which is not a subnet name.`, 'Give the subnet\'s name in the cluster\'s VNet (not its resource ID): letters, digits, `_`, `.`, `-`, at most 80.');
    annotations[LB_INTERNAL_SUBNET] = subnet;
  }
  if (ip) {
    const problem = isIpv4(ip) ? privateFrontendProblem(ip) : 'not an IPv4 address';
    c.check(!problem, `Input '${c.shown('ip')}' is '${ip}', which is ${problem}.`, 'Give a free private IPv4 address inside the load balancer subnet, e.g. 10.224.0.50.');
  }
  return annotations;
}

/**
 * `cluster-resource-group` and `cluster-name` name the AKS cluster together: to fetch its credentials
 * and, also beside a kubeconfig, to find its node resource group for the Private Link Service lookup.
 * One without the other would be ignored beside a kubeconfig: refuse it.
 */
function checkClusterNamed(inputs: Inputs, c: Checker): void {
  const group = inputs['cluster-resource-group'];
  const name = inputs['cluster-name'];
  if (!group === !name) return;
  const [given, missing] = group ? ['cluster-resource-group', 'cluster-name'] : ['cluster-name', 'cluster-resource-group'];
  c.check(
    false,
    `Input '${c.shown(given)}' is '${group ?? name}', but '${c.shown(missing)}' is not given.`,
    `Give both to name the AKS cluster (for its credentials and its node resource group, where its Private Link Services are found), or neither.`,
  );
}

/** Without `private-link: true`, a `pls-*` input would silently do nothing: refuse it. */
function refusePlsInputs(inputs: Inputs, c: Checker): void {
  for (const name of PLS_INPUTS) {
    const value = inputs[name];
    const given = Array.isArray(value) ? value.length > 0 : value !== undefined && value !== '';
    c.check(!given, `Input '${c.shown(name)}' is given, but '${c.shown('private-link')}' is not true.`, `Set '${c.shown('private-link')}' to true to create a Private Link Service, or remove '${c.shown(name)}'.`);
  }
  c.check(!inputs['pls-proxy-protocol'], `Input '${c.shown('pls-proxy-protocol')}' is true, but '${c.shown('private-link')}' is not true.`, `Set '${c.shown('private-link')}' to true, or remove '${c.shown('pls-proxy-protocol')}'.`);
}

/** The Private Link Service's annotations, exactly as the `pls-*` inputs say. */
function privateLinkAnnotations(inputs: Inputs, c: Checker): Record<string, string> {
  const annotations: Record<string, string> = { [PLS_CREATE]: TRUE };
  const named = (name: 'pls-name' | 'pls-resource-group' | 'pls-subnet', key: string, ok: (v: string) => boolean, what: string, hint: string) => {
    const value = inputs[name];
    if (!value) return;
    c.check(ok(value), `Input '${c.shown(name)}' is '${value}', which is not ${what}.`, hint);
    annotations[key] = value;
  };
  named('pls-name', PLS_NAME, isNetworkResourceName, 'a valid Private Link Service name', 'Use 1–80 letters, digits, `_`, `.` or `-`, starting with a letter or digit and ending with a letter, digit or `_`.');
  named('pls-resource-group', PLS_RESOURCE_GROUP, isResourceGroupName, 'a valid resource group name', 'Use up to 90 letters, digits, `_`, `(`, `)`, `-` or `.`, not ending in `.`.');
  named('pls-subnet', PLS_IP_CONFIGURATION_SUBNET, isNetworkResourceName, 'a subnet name', 'Give the subnet\'s name in the cluster\'s VNet (not its resource ID).');
  Object.assign(annotations, natIpAnnotations(inputs, c), accessAnnotations(inputs, c));
  if (inputs['pls-proxy-protocol']) annotations[PLS_PROXY_PROTOCOL] = TRUE;
  return annotations;
}

/** How many NAT IPs, and which static ones: no more static IPs than IP configurations, as the provider requires. */
function natIpAnnotations(inputs: Inputs, c: Checker): Record<string, string> {
  const annotations: Record<string, string> = {};
  const count = inputs['pls-ip-count'];
  if (count !== undefined) annotations[PLS_IP_CONFIGURATION_IP_ADDRESS_COUNT] = String(count);
  const staticIps = [...new Set(words(inputs['pls-ips']))];
  for (const address of staticIps) {
    const problem = isIpv4(address) ? privateFrontendProblem(address) : `not an IPv4 address${address.includes(':') ? ' (Private Link Service NAT IPs are IPv4 only)' : ''}`;
    c.check(!problem, `Input '${c.shown('pls-ips')}' has '${address}', which is ${problem}.`, 'Give free IPv4 addresses inside the PLS subnet, e.g. 10.224.1.10.');
  }
  c.check(
    staticIps.length <= (count ?? 1),
    `Input '${c.shown('pls-ips')}' has ${staticIps.length} addresses, more than '${c.shown('pls-ip-count')}' (${count ?? '1, the default'}).`,
    `Set '${c.shown('pls-ip-count')}' to at least ${staticIps.length}, or give fewer addresses.`,
  );
  if (staticIps.length) annotations[PLS_IP_CONFIGURATION_IP_ADDRESS] = joinWords(staticIps);
  return annotations;
}

/** Who may see the Private Link Service and whose endpoints are approved without review. */
function accessAnnotations(inputs: Inputs, c: Checker): Record<string, string> {
  const annotations: Record<string, string> = {};
  const visibility = words(inputs['pls-visibility']);
  for (const v of visibility) {
    c.check(v === '*' || isGuid(v), `Input '${c.shown('pls-visibility')}' has '${v}', which is neither a subscription ID nor '*'.`, 'Give subscription IDs (GUIDs) or `*` for every subscription.');
  }
  // The provider collapses a list containing `*` to `*`; write what it will read.
  const visible = visibility.includes('*') ? ['*'] : [...new Set(visibility)];
  if (visible.length) annotations[PLS_VISIBILITY] = joinWords(visible);
  const autoApproval = [...new Set(words(inputs['pls-auto-approval']))];
  for (const v of autoApproval) {
    c.check(isGuid(v), `Input '${c.shown('pls-auto-approval')}' has '${v}', which is not a subscription ID.`, 'Give the subscription IDs (GUIDs) whose private endpoints are approved without review.');
  }
  checkAutoApprovalVisible(autoApproval.filter(isGuid), visible, c);
  if (autoApproval.length) annotations[PLS_AUTO_APPROVAL] = joinWords(autoApproval);
  return annotations;
}

/**
 * Auto-approval only works for subscriptions that can see the Private Link Service: Azure documents
 * it as "a subset of the visibility array" (MicrosoftDocs/azure-docs articles/private-link/
 * private-link-service-overview.md). cloud-provider-azure's consts.go still says auto-approval "only
 * works when visibility is set to \"*\"", but its controller dropped that check in 2022 (commit
 * 13978a6, kubernetes-sigs/cloud-provider-azure#1859) and now writes both lists as given, so a
 * subscription outside the visibility would be accepted without ever being auto-approved. `*` or
 * listing the subscription in `pls-visibility` both make it visible.
 */
function checkAutoApprovalVisible(autoApproval: readonly string[], visible: readonly string[], c: Checker): void {
  if (visible.includes('*')) return;
  const hidden = autoApproval.filter((s) => !visible.some((v) => v.toLowerCase() === s.toLowerCase()));
  if (!hidden.length) return;
  const visDesc = visible.length ? `'${visible.join(' ')}'` : 'empty: visible only to those with Azure RBAC access to it';
  const them = hidden.length === 1 ? 'it' : 'them';
  c.check(
    false,
    `Input '${c.shown('pls-auto-approval')}' has ${hidden.map((s) => `'${s}'`).join(', ')}, which ${hidden.length === 1 ? 'is' : 'are'} not in '${c.shown('pls-visibility')}' (${visDesc}): auto-approval applies only to subscriptions the Private Link Service is visible to.`,
    `Add ${them} to '${c.shown('pls-visibility')}' (or set it to '*'), or remove ${them} from '${c.shown('pls-auto-approval')}'.`,
  );
}
