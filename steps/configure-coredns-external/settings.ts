import { InputProblems, UserError } from '@private-wire/shared/errors';
import type { StepInputs } from '@private-wire/shared/engine/step';
import type { Host } from '@private-wire/shared/hosts/host';
import { azureSignInSettings, type AzureSignInSettings } from '@private-wire/shared/azure/inputs';
import { clusterSettings, type ClusterSettings } from '@private-wire/shared/kubernetes/inputs';
import { isNetworkResourceName } from '@private-wire/shared/azure/names';
import { isDns1035Label } from '@private-wire/shared/kubernetes/validation';
import { isIpv4, privateFrontendProblem } from '@private-wire/shared/net/ipv4';
import type { configureCorednsExternalMetadata } from './metadata';
import { normalizeZone, zoneProblem } from './zone-rules';

/** The Service AKS manages for cluster DNS; the addon manager would revert any change to it. */
const AKS_DNS_SERVICE = 'kube-dns';

export interface CorednsSettings {
  zone: string;
  ttl: number;
  headless: boolean;
  exposeDns: boolean;
  dnsService: string;
  dnsIp?: string;
  dnsSubnet?: string;
  restart: boolean;
  wait: boolean;
  azure: AzureSignInSettings;
  cluster: ClusterSettings;
}

type Inputs = StepInputs<typeof configureCorednsExternalMetadata>;

/** Validates and types every input, without I/O; all problems are reported together. */
export function corednsSettings(inputs: Inputs, host: Host): CorednsSettings {
  const problems = new InputProblems();
  const shown = (name: string) => host.inputName(name);
  const zone = normalizeZone(inputs.zone);
  const problem = zoneProblem(zone, inputs['allow-public-zone'], shown('allow-public-zone'));
  if (problem) problems.add(new UserError(`Input '${shown('zone')}' is '${inputs.zone}', ${problem.message}.`, problem.hint));
  checkDnsService(inputs, shown, problems);
  problems.throwIfAny();
  return {
    zone,
    ttl: inputs.ttl,
    headless: inputs.headless,
    exposeDns: inputs['expose-dns'],
    dnsService: inputs['dns-service'],
    dnsIp: inputs['dns-ip'],
    dnsSubnet: inputs['dns-subnet'],
    restart: inputs.restart,
    wait: inputs.wait,
    azure: azureSignInSettings(inputs),
    cluster: clusterSettings(inputs),
  };
}

/** The DNS Service's own inputs: its name (never AKS's kube-dns), pinned IP and subnet, only with expose-dns. */
function checkDnsService(inputs: Inputs, shown: (name: string) => string, problems: InputProblems): void {
  const check = (ok: boolean, message: string, hint: string) => problems.expect(ok, message, hint);
  const dnsService = inputs['dns-service'];
  check(isDns1035Label(dnsService), `Input '${shown('dns-service')}' is '${dnsService}', which is not a valid Service name (DNS-1035 label).`, 'Use lower-case letters, digits and hyphens (at most 63), starting with a letter.');
  check(
    dnsService !== AKS_DNS_SERVICE,
    `Input '${shown('dns-service')}' is '${AKS_DNS_SERVICE}', the Service AKS manages for cluster DNS.`,
    'Give a name of its own, e.g. kube-dns-internal: AKS reverts changes to kube-dns.',
  );
  const dnsIp = inputs['dns-ip'];
  if (dnsIp) {
    const problem = isIpv4(dnsIp) ? privateFrontendProblem(dnsIp) : 'not an IPv4 address';
    check(!problem, `Input '${shown('dns-ip')}' is '${dnsIp}', which is ${problem}.`, 'Give a free private IPv4 address inside the load balancer subnet, e.g. 10.224.0.53.');
  }
  const dnsSubnet = inputs['dns-subnet'];
  if (dnsSubnet) check(isNetworkResourceName(dnsSubnet), `Input '${shown('dns-subnet')}' is '${dnsSubnet}', which is not a subnet name.`, 'Give the subnet\'s name in the cluster\'s VNet (not its resource ID).');
  if (!inputs['expose-dns']) {
    for (const name of ['dns-ip', 'dns-subnet'] as const) {
      check(!inputs[name], `Input '${shown(name)}' is given, but '${shown('expose-dns')}' is false.`, `Set '${shown('expose-dns')}' to true, or remove '${shown(name)}'.`);
    }
  }
}
