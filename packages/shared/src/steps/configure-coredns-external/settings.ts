import { InputProblems, UserError } from '../../errors';
import type { Host } from '../../hosts/host';
import { azureSignInSettings, type AzureSignInSettings } from '../../azure/inputs';
import { clusterSettings, type ClusterSettings } from '../../kubernetes/inputs';
import { isAzureSubnetName, isDns1035Label, isIpv4 } from '../../kubernetes/validation';
import { privateFrontendProblem } from '../../net/ipv4';
import { normalizeZone, zoneProblem } from './zone-rules';

/** The Service AKS manages for cluster DNS; the addon manager would revert any change to it. */
export const AKS_DNS_SERVICE = 'kube-dns';

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

/** Validates and types every input, without I/O; all problems are reported together. */
export function corednsSettings(inputs: Record<string, unknown>, host: Host): CorednsSettings {
  const problems = new InputProblems();
  const shown = (name: string) => host.inputName(name);
  const check = (ok: boolean, message: string, hint: string) => problems.expect(ok, message, hint);
  const text = (name: string) => ((inputs[name] as string | undefined) ?? '').trim() || undefined;

  const rawZone = text('zone') ?? '';
  const zone = normalizeZone(rawZone);
  const problem = zoneProblem(zone, inputs['allow-public-zone'] === true, shown('allow-public-zone'));
  if (problem) problems.add(new UserError(`Input '${shown('zone')}' is '${rawZone}', ${problem.message}.`, problem.hint));

  const exposeDns = inputs['expose-dns'] !== false;
  const dnsService = text('dns-service') ?? 'kube-dns-internal';
  check(isDns1035Label(dnsService), `Input '${shown('dns-service')}' is '${dnsService}', which is not a valid Service name (DNS-1035 label).`, 'Use lower-case letters, digits and hyphens (at most 63), starting with a letter.');
  check(
    dnsService !== AKS_DNS_SERVICE,
    `Input '${shown('dns-service')}' is '${AKS_DNS_SERVICE}', the Service AKS manages for cluster DNS.`,
    'Give a name of its own, e.g. kube-dns-internal: AKS reverts changes to kube-dns.',
  );
  const dnsIp = text('dns-ip');
  if (dnsIp) {
    const problem = isIpv4(dnsIp) ? privateFrontendProblem(dnsIp) : 'not an IPv4 address';
    check(!problem, `Input '${shown('dns-ip')}' is '${dnsIp}', which is ${problem}.`, 'Give a free private IPv4 address inside the load balancer subnet, e.g. 10.224.0.53.');
  }
  const dnsSubnet = text('dns-subnet');
  if (dnsSubnet) check(isAzureSubnetName(dnsSubnet), `Input '${shown('dns-subnet')}' is '${dnsSubnet}', which is not a subnet name.`, 'Give the subnet\'s name in the cluster\'s VNet (not its resource ID).');
  if (!exposeDns) {
    for (const name of ['dns-ip', 'dns-subnet'] as const) {
      check(!text(name), `Input '${shown(name)}' is given, but '${shown('expose-dns')}' is false.`, `Set '${shown('expose-dns')}' to true, or remove '${shown(name)}'.`);
    }
  }
  problems.throwIfAny();
  return {
    zone,
    ttl: (inputs.ttl as number | undefined) ?? 5,
    headless: inputs.headless === true,
    exposeDns,
    dnsService,
    dnsIp,
    dnsSubnet,
    restart: inputs.restart !== false,
    wait: inputs.wait !== false,
    azure: azureSignInSettings(inputs),
    cluster: clusterSettings(inputs),
  };
}
