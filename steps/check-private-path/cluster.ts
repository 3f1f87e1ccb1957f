// Findings about the cluster side: whether the runner reaches the API server, the Service the web
// app will call, and the CoreDNS zone that publishes it. Pure functions of the world (read-cluster.ts
// reads the cluster; when it could not, the checks that need it say "not checked").
//
// Sources:
// - API server access: apiServerAccessProfile.authorizedIPRanges and enablePrivateCluster
//   (azure-rest-api-specs specification/containerservice/resource-manager/Microsoft.ContainerService/aks
//   managedClusters.json, ManagedClusterAPIServerAccessProfile). "Requests made to the API server
//   from an IP address that isn't part of these authorized IP ranges are blocked" (MicrosoftDocs/
//   azure-aks-docs articles/aks/api-server-authorized-ip-ranges.md); a private cluster's API
//   server is reached "from the cluster virtual network, a peered network, or a configured private
//   endpoint" (https://learn.microsoft.com/azure/aks/access-private-cluster). The runner's address
//   is the one aks-api-access exports for the job (PRIVATE_WIRE_RUNNER_IP, shared kubernetes/unreachable.ts).
// - Service: type `LoadBalancer` with the annotation service.beta.kubernetes.io/azure-load-balancer-internal: "true"
//   gets an internal load balancer in the cluster's VNet (kubernetes-sigs/cloud-provider-azure
//   pkg/consts/consts.go ServiceAnnotationLoadBalancerInternal; https://learn.microsoft.com/azure/aks/internal-lb);
//   its IP is status.loadBalancer.ingress[].ip (Kubernetes core/v1 ServiceStatus). A ClusterIP is
//   a virtual address served on the cluster's nodes only (kubernetes.io/docs/concepts/services-networking/service,
//   "type: ClusterIP ... only reachable from within the cluster"). With kubenet or Azure CNI
//   Overlay the pods are not in the VNet either (address-plan.ts); with flat Azure CNI they are,
//   but a pod IP changes with every pod.
// - CoreDNS: AKS's Corefile imports `custom/*.override` into its default server block and
//   `custom/*.server` as server blocks of their own, from the kube-system/coredns-custom ConfigMap
//   (MicrosoftDocs/azure-aks-docs articles/aks/coredns-custom.md). `k8s_external [ZONE...]`
//   answers names `<service>.<namespace>.<zone>` with a Service's external (load balancer) IPs
//   (https://coredns.io/plugins/k8s_external/); it needs the kubernetes plugin of its server
//   block, so only `.override` keys count (what configure-coredns-external writes).
import { cidrContains, isIpv4, parseIpv4Cidr } from '@private-wire/shared/net/ipv4';
import { podsOutsideVnet } from './address-plan';
import type { Finding } from './findings';
import { nsgServiceFindings } from './nsg';
import { placeOf } from './reach';
import { integrationRanges } from './topology';
import type { ServiceView, World } from './world';

const clusterLabel = (w: World) => `AKS cluster ${w.cluster.name}`;

/** The runner's address inside one of the ranges, outside all of them, or unknown. */
function runnerInRanges(ranges: readonly string[], runner: string | undefined): boolean | undefined {
  const address = runner && isIpv4(runner) ? parseIpv4Cidr(`${runner}/32`) : undefined;
  if (!address) return undefined;
  return ranges.some((r) => {
    const range = parseIpv4Cidr(r.includes('/') ? r : `${r}/32`);
    return !!range && cidrContains(range, address);
  });
}

/** Whether this runner can reach the API server, and what the Kubernetes steps need if not. */
export function apiServerFindings(w: World): Finding[] {
  const { authorizedRanges, isPrivate } = w.cluster.apiServer;
  const unreachable = w.kube?.read === false;
  if (isPrivate) {
    return [
      {
        id: 'api-server-private',
        severity: unreachable ? 'warning' : 'info',
        resource: clusterLabel(w),
        message: `Cluster '${w.cluster.name}' is a private cluster: its API server is reachable only from its virtual network (or one peered or connected to it)${unreachable ? ', and this runner could not reach it' : ''}.`,
        fix: "Run the Kubernetes steps (expose-internal-service, configure-coredns-external) with 'private-cluster: true' (through the AKS run command), or on a self-hosted agent in the cluster's network.",
      },
    ];
  }
  if (authorizedRanges.length === 0) return [];
  const inside = runnerInRanges(authorizedRanges, w.runnerAddress);
  if (inside === true || (inside === undefined && !unreachable)) return [];
  const where = inside === false ? `this runner's address ${w.runnerAddress} is not inside them` : "this runner's address is not known here and the API server did not answer";
  return [
    {
      id: 'api-server-runner-not-authorized',
      severity: 'warning',
      resource: clusterLabel(w),
      message: `Cluster '${w.cluster.name}' accepts API server connections only from its authorized IP ranges (${authorizedRanges.join(', ')}), and ${where}: the Kubernetes steps on this runner will not reach it.`,
      fix: 'Run the aks-api-access step before the Kubernetes steps: it adds this runner\'s address to the authorized ranges for the job and removes it afterwards.',
    },
  ];
}

/** The cluster-side checks that were asked for (`service`, `zone`) but could not be made. */
export function notCheckedOnCluster(w: World): Finding[] {
  if (!w.kube || w.kube.read) return [];
  const what = [w.service ? `Service ${w.service.namespace}/${w.service.name} (its type, IP, ports, and the NSG verdict for it)` : '', w.zone ? `the CoreDNS k8s_external zone '${w.zone}'` : ''].filter((x) => x);
  return [
    {
      id: 'cluster-not-checked',
      severity: 'warning',
      resource: clusterLabel(w),
      message: `The cluster's Kubernetes API could not be read, so ${what.join(' and ')} ${what.length > 1 ? 'were' : 'was'} not checked: ${w.kube.reason}`,
      fix: 'Make the API server reachable from this runner (see api-server findings: aks-api-access, private-cluster) and re-run, or check those by hand.',
    },
  ];
}

/** The ports the web app will call: `port`, or every TCP port of the Service. */
const portsToCheck = (w: World, svc: ServiceView) => (w.service?.port ? [w.service.port] : svc.ports.filter((p) => p.protocol.toUpperCase() === 'TCP').map((p) => p.port));

/** The Service: it exists, is an internal load balancer with an IP in the VNet (or a peering), has the port, and the NSG lets the port through. */
export function serviceFindings(w: World): Finding[] {
  if (!w.service || !w.kube?.read) return [];
  const label = `${w.service.namespace}/${w.service.name}`;
  const resource = `service ${label}`;
  const svc = w.kube.service;
  if (!svc) {
    return [{ id: 'service-not-found', severity: 'warning', resource, message: `Service ${label} does not exist in cluster '${w.cluster.name}'.`, fix: 'Check `service` and `namespace`; expose-internal-service creates it as an internal load balancer Service.' }];
  }
  const out: Finding[] = [];
  if (w.service.port && !svc.ports.some((p) => p.port === w.service!.port)) {
    out.push({ id: 'service-port-missing', severity: 'error', resource, message: `Service ${label} has no port ${w.service.port} (its ports: ${svc.ports.map((p) => `${p.port}/${p.protocol}`).join(', ') || 'none'}).`, fix: `Give one of the Service's ports in 'port', or add port ${w.service.port} to the Service.` });
  }
  if (svc.type !== 'LoadBalancer' || !svc.internal) return [...out, notInternalFinding(w, svc, label)];
  if (svc.loadBalancerIps.length === 0) {
    return [...out, { id: 'service-ip-pending', severity: 'warning', resource, message: `Service ${label} is an internal load balancer Service without an IP yet (status.loadBalancer.ingress is empty).`, fix: "Wait for the cloud provider to assign it (expose-internal-service waits), and check the Service's events if it never comes." }];
  }
  for (const ip of svc.loadBalancerIps.filter((x) => !placeOf(w, x))) {
    out.push({ id: 'service-ip-outside-vnet', severity: 'warning', resource, message: `Service ${label} has internal load balancer IP ${ip}, which is in no subnet of virtual network '${w.vnet.name}' and in no address space of a Connected peering of it.`, fix: `Peer '${w.vnet.name}' with the cluster's VNet (both directions), or integrate the web app with a VNet that reaches ${ip}.` });
  }
  return [...out, ...nsgServiceFindings(w, integrationRanges(w), svc.loadBalancerIps, portsToCheck(w, svc))];
}

/** ClusterIP, NodePort or a public load balancer: not what the web app can call privately. */
function notInternalFinding(w: World, svc: ServiceView, label: string): Finding {
  const resource = `service ${label}`;
  if (svc.type === 'LoadBalancer') {
    return { id: 'service-lb-public', severity: 'warning', resource, message: `Service ${label} is a public load balancer Service (no azure-load-balancer-internal annotation): its IP is public, not on the private path.`, fix: 'Make it an internal load balancer Service (expose-internal-service).' };
  }
  const outside = podsOutsideVnet(w.cluster);
  const plugin = outside ? `${w.cluster.networkPlugin}${w.cluster.networkPluginMode ? ` (${w.cluster.networkPluginMode})` : ''}` : 'flat Azure CNI';
  return {
    id: 'service-not-internal-lb',
    severity: 'warning',
    resource,
    message: `Service ${label} is of type ${svc.type}${svc.clusterIP ? ` (ClusterIP ${svc.clusterIP})` : ''}, not an internal load balancer: its ClusterIP is reachable only inside the cluster, and with ${plugin} ${outside ? 'the web app can never reach pod or cluster IPs' : 'pod IPs are reachable but change with every pod'}.`,
    fix: 'Make it an internal load balancer Service (expose-internal-service) and call that IP.',
  };
}

/** The zones a coredns-custom key serves: k8s_external zones of `.override` keys, server block zones of `.server` keys. */
export function servedByKey(key: string, text: string): { k8sExternal: string[]; serverBlocks: string[] } {
  const lines = text.split('\n').map((l) => l.replace(/#.*$/, '').trim()).filter((l) => l);
  if (key.endsWith('.server')) {
    let depth = 0;
    const heads: string[] = [];
    for (const line of lines) {
      if (depth === 0 && line.endsWith('{')) heads.push(...line.slice(0, -1).trim().split(/\s+/).filter((x) => x).map((z) => z.replace(/:\d+$/, '')));
      depth += (line.match(/\{/g)?.length ?? 0) - (line.match(/\}/g)?.length ?? 0);
    }
    return { k8sExternal: [], serverBlocks: heads };
  }
  if (!key.endsWith('.override')) return { k8sExternal: [], serverBlocks: [] };
  const zones = lines.filter((l) => /^k8s_external(\s|$)/.test(l)).flatMap((l) => l.replace(/\{.*$/, '').trim().split(/\s+/).slice(1));
  return { k8sExternal: zones, serverBlocks: [] };
}

const bare = (zone: string) => zone.toLowerCase().replace(/\.$/, '');

/** coredns-custom publishes `zone` with k8s_external. */
export function corednsFindings(w: World): Finding[] {
  if (!w.zone || !w.kube?.read) return [];
  const zone = bare(w.zone);
  const resource = 'ConfigMap kube-system/coredns-custom';
  const served = Object.entries(w.kube.corednsCustom ?? {}).map(([key, text]) => ({ key, ...servedByKey(key, text) }));
  if (served.some((s) => s.k8sExternal.some((z) => bare(z) === zone))) return [];
  const others = served.flatMap((s) => [...s.k8sExternal.map((z) => `k8s_external ${z} (key ${s.key})`), ...s.serverBlocks.map((z) => `server block ${z} (key ${s.key})`)]);
  if (others.length === 0) {
    return [{ id: 'coredns-zone-missing', severity: 'warning', resource, message: `${w.kube.corednsCustom ? `ConfigMap kube-system/coredns-custom has no k8s_external zone` : 'ConfigMap kube-system/coredns-custom does not exist'}: CoreDNS does not answer names under '${w.zone}'.`, fix: `Publish the zone with configure-coredns-external (zone '${w.zone}').` }];
  }
  return [{ id: 'coredns-zone-mismatch', severity: 'warning', resource, message: `ConfigMap kube-system/coredns-custom serves ${others.join(', ')}, but not k8s_external '${w.zone}': names under '${w.zone}' do not resolve to the cluster's Services.`, fix: `Publish '${w.zone}' with configure-coredns-external, or give the zone that is published in 'zone'.` }];
}
