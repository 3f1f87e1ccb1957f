// Every preflight finding of a world, in a fixed order (topology first, DNS last).
import { overlapFindings, pluginFindings, targetFindings } from './address-plan';
import { apiServerFindings, corednsFindings, notCheckedOnCluster, serviceFindings } from './cluster';
import { dnsFindings, routeFindings, webAppDnsFindings } from './dns-routes';
import { sortFindings, type Finding } from './findings';
import { nsgFindings } from './nsg';
import { nodeSubnetFindings, peeringFindings } from './reach';
import { integrationFindings, integrationRanges, planFindings, regionFindings, subnetFindings } from './topology';
import type { World } from './world';

export function preflightFindings(w: World): Finding[] {
  const target = targetFindings(w);
  // A DNS IP the VNet can never reach (a ClusterIP, a kubenet/overlay pod IP) makes the NSG's and
  // the routes' verdict on it moot: that one finding says what to change.
  const unreachable = target.some((f) => f.severity === 'error');
  return sortFindings([
    ...regionFindings(w),
    ...planFindings(w),
    ...integrationFindings(w),
    ...subnetFindings(w),
    ...overlapFindings(w),
    ...nodeSubnetFindings(w),
    ...peeringFindings(w),
    ...target,
    ...pluginFindings(w),
    ...(unreachable ? [] : [...nsgFindings(w, integrationRanges(w)), ...routeFindings(w)]),
    ...dnsFindings(w),
    ...webAppDnsFindings(w),
    ...apiServerFindings(w),
    ...serviceFindings(w),
    ...corednsFindings(w),
    ...notCheckedOnCluster(w),
    ...notCheckedFindings(w),
  ]);
}

/** What this version cannot check yet is said, never passed over silently. */
function notCheckedFindings(w: World): Finding[] {
  const out: Finding[] = [];
  if (!w.dnsIp) {
    out.push({
      id: 'dns-ip-not-checked',
      severity: 'info',
      resource: 'DNS IP',
      message: 'No DNS IP was given: where it lies, the NSG verdict for DNS and the routes to it were not checked.',
      fix: "Give 'dns-ip' (the cluster DNS internal load balancer IP).",
    });
  }
  return out;
}
