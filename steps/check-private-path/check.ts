// Every preflight finding of a world, in a fixed order (topology first, DNS last).
import { overlapFindings, pluginFindings, targetFindings } from './address-plan';
import { dnsFindings, routeFindings } from './dns-routes';
import { sortFindings, type Finding } from './findings';
import { nsgFindings } from './nsg';
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
    ...target,
    ...pluginFindings(w),
    ...(unreachable ? [] : [...nsgFindings(w, integrationRanges(w)), ...routeFindings(w)]),
    ...dnsFindings(w),
    ...notCheckedFindings(w),
  ]);
}

/** What this version cannot check yet is said, never passed over silently. */
function notCheckedFindings(w: World): Finding[] {
  const out: Finding[] = [];
  if (w.service) {
    out.push({
      id: 'service-not-checked',
      severity: 'info',
      resource: `service ${w.service.namespace}/${w.service.name}`,
      message: `Preflight does not read the cluster's Kubernetes API yet: the Service's IP, type and the NSG verdict for port ${w.service.port ?? '(none)'} were not checked.`,
      fix: 'Check the Service is of type LoadBalancer with an internal load balancer (expose-internal-service).',
    });
  }
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
