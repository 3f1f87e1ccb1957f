import { randomBytes } from 'node:crypto';
import type { ArmStore } from '../arm/store';
import { cidrContains, firstFree, intToIp, parseCidr, type Cidr } from '../kube/ipv4';
import { EVENTS, SERVICES } from '../kube/resources';
import type { KubeStore, StoreEvent } from '../kube/store';
import { jsonEqual, type KubeObject } from '../kube/types';
import { isTrue, LB_INTERNAL, LB_INTERNAL_SUBNET, LB_IPV4, PLS_CREATE, PLS_IP_CONFIGURATION_SUBNET, PLS_RESOURCE_GROUP, TAG_OWNER_SERVICE } from './annotations';
import { frontendNamed, withFrontend, withoutFrontend, type Frontend } from './load-balancer';
import { buildPls, hasPlsConfig, plsSpec, ProviderError } from './pls';

export interface CloudProviderOptions {
  kube: KubeStore;
  arm: ArmStore;
  subscriptionId: string;
  location: string;
  /**
   * The controller's `--cluster-name`: AKS leaves it at its default, `kubernetes`
   * (k8s.io/cloud-provider config/v1alpha1/defaults.go), which is why AKS load balancers are named
   * `kubernetes` / `kubernetes-internal` and every PLS is tagged `k8s-azure-cluster-name: kubernetes`.
   */
  clusterName: string;
  /** The node resource group (MC_...): where the load balancers and, by default, the PLS live. */
  nodeResourceGroup: string;
  /** ARM id of the cluster's VNet; subnets named by annotations are looked up in it. */
  vnetId?: string;
  /** The node subnet's name (used when no subnet annotation is set). */
  nodeSubnetName?: string;
  /** The node subnet's range, when the subnet is not in the ArmStore (default 10.224.0.0/16). */
  nodeSubnetCidr?: string;
  /** How long a load balancer takes to be "provisioned" (default 50 ms). */
  delayMs?: number;
  /**
   * Time between the EnsuredLoadBalancer event and the status patch that carries the new IP
   * (default 0: the patch right after the event, in that order, as the real controller does).
   */
  statusPatchDelayMs?: number;
  /** Range public frontends get addresses from (default 20.62.0.0/16). */
  publicIpCidr?: string;
  /**
   * Looked up at every reconcile and overriding the fields above: lets the provider follow a
   * cluster that tests seed into the ArmStore after the emulator started.
   */
  discover?: () => Partial<Pick<CloudProviderOptions, 'subscriptionId' | 'location' | 'nodeResourceGroup' | 'vnetId' | 'nodeSubnetName' | 'nodeSubnetCidr'>>;
}

type Rec = Record<string, unknown>;
interface Subnet {
  id: string;
  name: string;
  cidr: Cidr;
}
interface Owned {
  ip?: string;
  plsId?: string;
  dynamicIps: string[];
  /** The internal load balancer frontend this Service owns. */
  frontend?: { lbId: string; name: string };
}

const keyOf = (o: KubeObject) => `${o.metadata.namespace}/${o.metadata.name}`;
const lbRelevant = (o: KubeObject | undefined) => o && { type: (o['spec'] as Rec)?.['type'], spec: o['spec'], annotations: o.metadata.annotations ?? {} };
const FAILED = 'Error syncing load balancer: failed to ensure load balancer: ';

/**
 * The Service controller of cloud-provider-azure as AKS runs it, reduced to what our steps depend
 * on: LoadBalancer Services get a frontend IP (private from the node subnet or an annotated
 * subnet, pinned by `azure-load-balancer-ipv4`, public otherwise) written to
 * `status.loadBalancer.ingress`, and `azure-pls-*` annotations create a Private Link Service in
 * the ArmStore. Internal frontends are kept as frontend IP configurations of the
 * `<cluster-name>-internal` load balancer in the node resource group (see load-balancer.ts), so a
 * client can map a Service's IP to the frontend its PLS references. Failures are Warning events
 * `SyncLoadBalancerFailed` on the Service, the IP stays pending — what `kubectl describe svc` shows
 * on a real cluster. Public frontends, rules, probes and NSGs are not modelled.
 */
export class CloudProvider {
  private readonly owned = new Map<string, Owned>();
  private readonly timers = new Map<string, NodeJS.Timeout>();
  private readonly unsubscribe: () => void;
  private readonly delayMs: number;

  private readonly base: CloudProviderOptions;
  /** The options in effect for this reconcile (static options overlaid with `discover()`). */
  private o: CloudProviderOptions;

  constructor(options: CloudProviderOptions) {
    this.base = options;
    this.o = options;
    const o = options;
    this.delayMs = o.delayMs ?? 50;
    this.unsubscribe = o.kube.subscribe((e) => this.onEvent(e));
    for (const s of o.kube.list(SERVICES)) this.schedule(s);
  }

  stop(): void {
    this.unsubscribe();
    for (const t of this.timers.values()) clearTimeout(t);
    this.timers.clear();
  }

  /** Addresses currently handed out (frontends and PLS NICs), for tests. */
  allocatedIps(): string[] {
    return [...this.owned.values()].flatMap((o) => [...(o.ip ? [o.ip] : []), ...o.dynamicIps]);
  }

  private onEvent(e: StoreEvent): void {
    if (e.def !== SERVICES) return;
    const k = keyOf(e.object);
    if (e.type === 'DELETED') {
      clearTimeout(this.timers.get(k));
      this.timers.delete(k);
      this.release(k);
      return;
    }
    // Our own status writes (and other status-only changes) need no reconcile.
    if (e.type === 'MODIFIED' && jsonEqual(lbRelevant(e.old), lbRelevant(e.object))) return;
    this.schedule(e.object);
  }

  private schedule(svc: KubeObject): void {
    const k = keyOf(svc);
    clearTimeout(this.timers.get(k));
    const isLb = (svc['spec'] as Rec)?.['type'] === 'LoadBalancer';
    const t = setTimeout(() => {
      this.timers.delete(k);
      const cur = this.o.kube.get(SERVICES, svc.metadata.namespace, svc.metadata.name);
      if (cur) this.reconcile(cur);
    }, isLb ? this.delayMs : 0);
    t.unref?.();
    this.timers.set(k, t);
  }

  private reconcile(svc: KubeObject): void {
    this.o = { ...this.base, ...Object.fromEntries(Object.entries(this.base.discover?.() ?? {}).filter(([, v]) => v !== undefined)) };
    const k = keyOf(svc);
    const spec = (svc['spec'] ?? {}) as Rec;
    if (spec['type'] !== 'LoadBalancer') {
      if (this.owned.has(k)) {
        this.release(k);
        this.writeIngress(svc, undefined);
      }
      return;
    }
    const annotations = svc.metadata.annotations ?? {};
    this.event(svc, 'Normal', 'EnsuringLoadBalancer', 'Ensuring load balancer');
    try {
      const ip = this.ensureFrontend(svc, k, annotations, spec);
      const state = this.owned.get(k)!;
      if (isTrue(annotations, PLS_CREATE)) this.ensurePls(svc, k, annotations, state);
      else this.deletePls(state);
      // The service controller records EnsuredLoadBalancer first and patches the status after it
      // (k8s.io/cloud-provider controllers/service/controller.go, syncLoadBalancerIfNeeded).
      this.event(svc, 'Normal', 'EnsuredLoadBalancer', 'Ensured load balancer');
      this.patchStatusLater(svc, ip);
    } catch (err) {
      if (!(err instanceof ProviderError)) throw err;
      this.event(svc, 'Warning', 'SyncLoadBalancerFailed', FAILED + err.message);
    }
  }

  private ensureFrontend(svc: KubeObject, k: string, annotations: Record<string, string>, spec: Rec): string {
    const state = this.owned.get(k) ?? { dynamicIps: [] };
    const pinned = annotations[LB_IPV4] ?? (spec['loadBalancerIP'] as string | undefined);
    const taken = new Set([...this.owned.entries()].filter(([o]) => o !== k).flatMap(([, s]) => [...(s.ip ? [s.ip] : []), ...s.dynamicIps]));
    let ip: string;
    if (isTrue(annotations, LB_INTERNAL)) {
      const subnet = this.subnet(annotations[LB_INTERNAL_SUBNET], `ensure(${k}): lb(${this.lbName(true)})`);
      ip = this.internalIp(svc, annotations, { pinned, taken, subnet, current: state.ip });
      this.ensureLbFrontend(state, { name: this.frontendName(svc, annotations), ip, allocation: pinned ? 'Static' : 'Dynamic', subnetId: subnet.id });
    } else {
      const pool = parseCidr(this.o.publicIpCidr ?? '20.62.0.0/16');
      if (pinned) ip = pinned;
      else if (state.ip && cidrContains(pool, state.ip)) ip = state.ip;
      else ip = firstFree(pool, taken, 1 + Math.floor(Math.random() * 60000)) ?? intToIp(pool.base + 1);
      this.removeLbFrontend(state);
    }
    state.ip = ip;
    this.owned.set(k, state);
    return ip;
  }

  /** The private frontend IP: the pinned one (checked as the network RP checks it), the current one, or the first free. */
  private internalIp(svc: KubeObject, annotations: Record<string, string>, o: { pinned?: string; taken: Set<string>; subnet: Subnet; current?: string }): string {
    const { pinned, taken, subnet } = o;
    if (pinned) {
      if (!cidrContains(subnet.cidr, pinned)) {
        throw new ProviderError(
          `Retriable: false, RetryAfter: 0s, HTTPStatusCode: 400, RawError: {"error":{"code":"PrivateIPAddressNotInSubnet","message":"Private static IP address ${pinned} does not belong to the range of subnet prefix ${subnet.cidr.text}.","details":[]}}`,
        );
      }
      if (taken.has(pinned)) {
        throw new ProviderError(
          `Retriable: false, RetryAfter: 0s, HTTPStatusCode: 400, RawError: {"error":{"code":"PrivateIPAddressInUse","message":"IP configuration ${this.frontendId(svc, annotations)} is using the private IP address ${pinned} which is already allocated to another resource.","details":[]}}`,
        );
      }
      return pinned;
    }
    if (o.current && cidrContains(subnet.cidr, o.current)) return o.current;
    // Azure keeps the first four addresses of every subnet.
    const free = firstFree(subnet.cidr, taken, 4);
    if (!free) throw new ProviderError(`Retriable: false, RetryAfter: 0s, HTTPStatusCode: 400, RawError: {"error":{"code":"SubnetIsFull","message":"Subnet ${subnet.name} has no more available IP addresses."}}`);
    return free;
  }

  /** Puts the Service's frontend on the internal load balancer; writes only when it changed (re-runs write nothing). */
  private ensureLbFrontend(state: Owned, frontend: Frontend): void {
    const lbId = this.lbId(true);
    if (state.frontend && (state.frontend.lbId.toLowerCase() !== lbId.toLowerCase() || state.frontend.name !== frontend.name)) this.removeLbFrontend(state);
    const existing = this.o.arm.get(lbId);
    const wanted = withFrontend(existing, lbId, this.o.location, frontend);
    if (!existing || !jsonEqual(frontendNamed(existing, frontend.name), frontendNamed(wanted, frontend.name))) this.o.arm.put(wanted);
    state.frontend = { lbId, name: frontend.name };
  }

  private removeLbFrontend(state: Owned): void {
    if (!state.frontend) return;
    const lb = this.o.arm.get(state.frontend.lbId);
    if (lb && frontendNamed(lb, state.frontend.name)) {
      const left = withoutFrontend(lb, state.frontend.name);
      if (left) this.o.arm.put(left);
      else this.o.arm.delete(lb.id);
    }
    state.frontend = undefined;
  }

  private ensurePls(svc: KubeObject, k: string, annotations: Record<string, string>, state: Owned): void {
    if (!isTrue(annotations, LB_INTERNAL)) {
      throw new ProviderError(`reconcilePrivateLinkService for service(${k}): service requiring private link service must be internal or disable floating ip`);
    }
    const rg = (annotations[PLS_RESOURCE_GROUP] ?? '').trim() || this.o.nodeResourceGroup;
    const fipName = this.frontendName(svc, annotations);
    const fipId = this.frontendId(svc, annotations);
    // The PLS attached to this frontend, if any (found by its frontend reference, as the provider does).
    const attached = this.o.arm
      .ofType('Microsoft.Network/privateLinkServices')
      .find((p) => ((p.properties?.['loadBalancerFrontendIpConfigurations'] as { id: string }[] | undefined) ?? []).some((f) => f.id.toLowerCase() === fipId.toLowerCase()));
    if (attached && attached.tags?.[TAG_OWNER_SERVICE] && attached.tags[TAG_OWNER_SERVICE] !== k && hasPlsConfig(annotations)) {
      throw new ProviderError(`reconcilePrivateLinkService for service(${k}) failed: LB frontend(${fipId}) already has existing private link service(${attached.name}) owned by service(${attached.tags[TAG_OWNER_SERVICE]})`);
    }
    const spec = plsSpec(annotations, k, fipName, attached?.name);
    const subnetName = (annotations[PLS_IP_CONFIGURATION_SUBNET] ?? '').trim() || (annotations[LB_INTERNAL_SUBNET] ?? '').trim() || undefined;
    let subnet: Subnet;
    try {
      subnet = this.subnet(subnetName, '');
    } catch {
      throw new ProviderError(`checkAndUpdatePLSIPConfigs: failed to get private link service subnet(${subnetName}) for service(${k})`);
    }
    const id = `/subscriptions/${this.o.subscriptionId}/resourceGroups/${rg}/providers/Microsoft.Network/privateLinkServices/${spec.name}`;
    const existing = this.o.arm.get(id);
    // Dynamic IP configurations keep their addresses across reconciles while the count allows.
    const taken = new Set([...this.allocatedIps(), ...spec.staticIps]);
    const dynamic = state.dynamicIps.filter((ip) => cidrContains(subnet.cidr, ip)).slice(0, spec.count - spec.staticIps.length);
    for (const ip of dynamic) taken.add(ip);
    while (dynamic.length < spec.count - spec.staticIps.length) {
      const ip = firstFree(subnet.cidr, taken, 4);
      if (!ip) throw new ProviderError(`Subnet ${subnet.name} has no more available IP addresses.`);
      taken.add(ip);
      dynamic.push(ip);
    }
    this.disableSubnetPlsPolicy(subnet.id);
    const wanted = buildPls(spec, { id, location: this.o.location, clusterName: this.o.clusterName, owner: k, subnet, frontendIpConfigurationId: fipId, dynamicIps: dynamic }, existing);
    if (state.plsId && state.plsId.toLowerCase() !== id.toLowerCase()) this.o.arm.delete(state.plsId);
    // Only write when something changed: a re-run of our steps must cause zero ARM writes.
    if (!existing || !jsonEqual({ ...existing, etag: undefined }, { ...wanted, etag: undefined })) this.o.arm.put(wanted);
    state.plsId = id;
    state.dynamicIps = dynamic;
  }

  private deletePls(state: Owned): void {
    if (state.plsId) this.o.arm.delete(state.plsId);
    state.plsId = undefined;
    state.dynamicIps = [];
  }

  /** The provider disables PLS network policies on the PLS subnet before creating it. */
  private disableSubnetPlsPolicy(subnetId: string): void {
    const s = this.o.arm.get(subnetId);
    if (s && s.properties?.['privateLinkServiceNetworkPolicies'] !== 'Disabled') {
      this.o.arm.put({ ...s, properties: { ...s.properties, privateLinkServiceNetworkPolicies: 'Disabled' } });
    }
  }

  private release(k: string): void {
    const state = this.owned.get(k);
    if (!state) return;
    this.deletePls(state);
    this.removeLbFrontend(state);
    this.owned.delete(k);
  }

  /** The frontend IP configuration name: `a` + the Service UID without dashes (+ `-<subnet>` for an annotated subnet). */
  private frontendName(svc: KubeObject, annotations: Record<string, string>): string {
    const base = `a${(svc.metadata.uid ?? '').replace(/-/g, '')}`;
    const subnet = (annotations[LB_INTERNAL_SUBNET] ?? '').trim();
    return isTrue(annotations, LB_INTERNAL) && subnet ? `${base}-${subnet}`.slice(0, 80) : base;
  }

  /**
   * The load balancer's name: the cluster name, `-internal` for internal ones (cloud-provider-azure
   * getAzureLoadBalancerName with a single standard load balancer, consts.InternalLoadBalancerNameSuffix).
   */
  private lbName(internal: boolean): string {
    return `${this.o.clusterName}${internal ? '-internal' : ''}`;
  }

  /** Load balancers live in the node resource group (getLoadBalancerResourceGroup: az.ResourceGroup on AKS). */
  private lbId(internal: boolean): string {
    return `/subscriptions/${this.o.subscriptionId}/resourceGroups/${this.o.nodeResourceGroup}/providers/Microsoft.Network/loadBalancers/${this.lbName(internal)}`;
  }

  private frontendId(svc: KubeObject, annotations: Record<string, string>): string {
    return `${this.lbId(isTrue(annotations, LB_INTERNAL))}/frontendIPConfigurations/${this.frontendName(svc, annotations)}`;
  }

  /** The subnet named by an annotation (looked up in the ArmStore VNet) or the node subnet. */
  private subnet(name: string | undefined, context: string): Subnet {
    const vnet = this.o.vnetId;
    const wanted = name?.trim() || this.o.nodeSubnetName || 'aks-subnet';
    const fromArm = vnet ? this.o.arm.get(`${vnet}/subnets/${wanted}`) : undefined;
    if (fromArm) {
      const p = fromArm.properties ?? {};
      const prefix = (p['addressPrefix'] as string | undefined) ?? (p['addressPrefixes'] as string[] | undefined)?.[0];
      if (prefix) return { id: fromArm.id, name: fromArm.name, cidr: parseCidr(prefix) };
    }
    if (name?.trim()) throw new ProviderError(`${context} - failed to get subnet: ${vnet?.split('/').pop() ?? 'vnet'}/${wanted}`);
    const id = vnet ? `${vnet}/subnets/${wanted}` : `/subscriptions/${this.o.subscriptionId}/resourceGroups/${this.o.nodeResourceGroup}/providers/Microsoft.Network/virtualNetworks/aks-vnet/subnets/${wanted}`;
    return { id, name: wanted, cidr: parseCidr(this.o.nodeSubnetCidr ?? '10.224.0.0/16') };
  }

  private patchStatusLater(svc: KubeObject, ip: string): void {
    const delay = this.o.statusPatchDelayMs ?? 0;
    if (delay <= 0) return this.writeIngress(svc, ip);
    const t = setTimeout(() => this.writeIngress(svc, ip), delay);
    t.unref?.();
  }

  private writeIngress(svc: KubeObject, ip: string | undefined): void {
    const cur = this.o.kube.get(SERVICES, svc.metadata.namespace, svc.metadata.name);
    if (!cur) return;
    const loadBalancer = ip ? { ingress: [{ ip, ipMode: 'VIP' }] } : {};
    if (jsonEqual((cur['status'] as Rec)?.['loadBalancer'], loadBalancer)) return;
    this.o.kube.update(SERVICES, { ...cur, status: { ...((cur['status'] as Rec) ?? {}), loadBalancer } });
  }

  /** Records an event as the service controller does: repeats bump `count` instead of adding events. */
  private event(svc: KubeObject, type: 'Normal' | 'Warning', reason: string, message: string): void {
    const ns = svc.metadata.namespace!;
    const now = new Date().toISOString().replace(/\.\d+Z$/, 'Z');
    const same = this.o.kube
      .list(EVENTS, ns)
      .find((e) => (e['involvedObject'] as Rec)?.['uid'] === svc.metadata.uid && e['reason'] === reason && e['message'] === message);
    if (same) {
      this.o.kube.update(EVENTS, { ...same, count: Number(same['count'] ?? 1) + 1, lastTimestamp: now });
      return;
    }
    this.o.kube.create(EVENTS, {
      apiVersion: 'v1',
      kind: 'Event',
      metadata: { name: `${svc.metadata.name}.${randomBytes(8).toString('hex')}`, namespace: ns },
      involvedObject: { kind: 'Service', namespace: ns, name: svc.metadata.name, uid: svc.metadata.uid, apiVersion: 'v1', resourceVersion: svc.metadata.resourceVersion },
      reason,
      message,
      source: { component: 'service-controller' },
      firstTimestamp: now,
      lastTimestamp: now,
      count: 1,
      type,
      eventTime: null,
      reportingComponent: 'service-controller',
      reportingInstance: '',
    });
  }
}

export function startCloudProvider(options: CloudProviderOptions): CloudProvider {
  return new CloudProvider(options);
}
