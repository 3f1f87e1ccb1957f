import { parse as parseDomain } from 'tldts';
import { UserError } from '@private-wire/shared/errors';
import { isDns1123Label } from '@private-wire/shared/kubernetes/validation';
import { servedZones, zoneOf } from './corefile';

/** Zones the AKS Corefile's `kubernetes` plugin answers itself; a k8s_external zone there is never reached. */
const KUBERNETES_ZONES = ['cluster.local', 'in-addr.arpa', 'ip6.arpa'];

const within = (zone: string, parent: string) => zone === parent || zone.endsWith(`.${parent}`);

/**
 * Domains Azure and Microsoft serve the names a web app and AKS resolve from (the public zones of
 * Azure services, e.g. `blob.core.windows.net`, `vault.azure.net`, `azurewebsites.net`, as listed
 * in "Azure Private Endpoint private DNS zone values", learn.microsoft.com/azure/private-link/
 * private-endpoint-dns, plus the sign-in and AKS API domains and the sovereign clouds' roots). A
 * k8s_external zone at, above or under one of them answers NXDOMAIN for the real names in it.
 */
const AZURE_DOMAINS = [
  'windows.net', 'azure.com', 'azure.net', 'azurewebsites.net', 'azure-api.net', 'azurecr.io', 'azmk8s.io', 'azurefd.net',
  'azureedge.net', 'cloudapp.net', 'trafficmanager.net', 'azure-devices.net', 'azuresynapse.net', 'azurehdinsight.net',
  'microsoft.com', 'microsoftonline.com', 'msftauth.net', 'usgovcloudapi.net', 'chinacloudapi.cn', 'azure.us', 'azure.cn',
];

/**
 * Why a zone would take over names that belong to others: a single label (a whole TLD), a public
 * suffix (the Public Suffix List, ICANN and private sections, through tldts), or an Azure domain.
 * CoreDNS answers every name in its k8s_external zone, so the web app could no longer resolve them.
 */
export function publicZoneProblem(zone: string): string | undefined {
  if (!zone.includes('.')) return 'a single label, so CoreDNS would answer for a whole top-level domain';
  const parsed = parseDomain(zone, { allowPrivateDomains: true });
  if (parsed.publicSuffix === zone) return 'a public suffix, whose names belong to others';
  const azure = AZURE_DOMAINS.find((d) => within(zone, d) || within(d, zone));
  if (azure) return `${zone === azure ? 'an Azure domain' : within(zone, azure) ? `inside the Azure domain ${azure}` : `above the Azure domain ${azure}`}, whose names Azure services use`;
  return undefined;
}

/** Normalises and checks a zone without I/O; returns the message for the input when it is not usable. */
export function zoneProblem(zone: string, allowPublicZone = false, allowInput = 'allow-public-zone'): { message: string; hint: string } | undefined {
  const labels = zone.split('.');
  if (!zone || zone.length > 253 || !labels.every((l) => isDns1123Label(l))) {
    return { message: 'which is not a valid DNS zone', hint: 'Use dot-separated labels of lower-case letters, digits and hyphens, e.g. internal.example.' };
  }
  const clash = KUBERNETES_ZONES.find((k) => within(zone, k) || within(k, zone));
  if (clash) {
    return {
      message: `which ${zone === clash ? 'is' : within(zone, clash) ? 'is inside' : 'contains'} ${clash}, answered by the kubernetes plugin`,
      hint: 'Use a zone of your own for the internal names, e.g. internal.example.',
    };
  }
  const shadows = allowPublicZone ? undefined : publicZoneProblem(zone);
  if (shadows) {
    return {
      message: `which is ${shadows}: the web app would stop resolving the real names in it`,
      hint: `Use a zone of your own, e.g. internal.contoso.com, or set '${allowInput}' to true if the VNet really must answer that zone.`,
    };
  }
  return undefined;
}

export function normalizeZone(input: string): string {
  return zoneOf(input.trim());
}

export interface ZoneConflict {
  message: string;
  hint: string;
}

/**
 * Whether another coredns-custom key already claims the zone. CoreDNS keeps one k8s_external per
 * server block (a second directive replaces the first one's zones), and every `.override` key is
 * imported into the same default block, so any k8s_external elsewhere is a conflict. A `.server`
 * block for the zone or a parent of it would take the queries before the default block sees them.
 */
export function zoneConflict(data: Record<string, string>, ownKey: string, zone: string, shown: string): { conflict?: ZoneConflict; unreadable: string[] } {
  const unreadable: string[] = [];
  for (const [key, text] of Object.entries(data)) {
    if (key === ownKey) continue;
    let served;
    try {
      served = servedZones(key, text);
    } catch (error) {
      unreadable.push(`${key} (${(error as Error).message})`);
      continue;
    }
    if (served.k8sExternal.length) {
      const same = served.k8sExternal.includes(zone);
      return {
        unreadable,
        conflict: {
          message: same
            ? `Input '${shown}' is '${zone}', which key '${key}' of kube-system/coredns-custom already serves with k8s_external.`
            : `Key '${key}' of kube-system/coredns-custom already has a k8s_external block (${served.k8sExternal.join(', ')}); CoreDNS keeps only one per server block, so input '${shown}' ('${zone}') cannot get its own.`,
          hint: same
            ? `Remove '${key}' (or the zone from it) if this step should manage the zone, or leave the zone to it.`
            : `Remove the k8s_external block from '${key}', or add '${zone}' to it yourself instead of running this step.`,
        },
      };
    }
    const parent = served.serverBlocks.find((z) => within(zone, z));
    if (parent) {
      return {
        unreadable,
        conflict: {
          message: `Input '${shown}' is '${zone}', but key '${key}' of kube-system/coredns-custom has a server block for ${parent === zone ? 'it' : `its parent ${parent}`}, which takes those queries.`,
          hint: `Use another zone, or remove that server block from '${key}'.`,
        },
      };
    }
  }
  return { unreadable };
}

export function zoneError(conflict: ZoneConflict): UserError {
  return new UserError(conflict.message, conflict.hint);
}
