import { cidrContains, firstFree, parseCidr } from './ipv4';
import type { ResourceDef } from './resources';
import { invalid } from './status';
import type { KubeStore } from './store';
import { isObject, type KubeObject } from './types';
import { RESOURCES } from './resources';

/**
 * Per-kind registry strategy: the defaulting, immutable-field carry-over and validation the real
 * API server applies on create and update, for the fields our steps and tests read.
 */
export interface RegistryOptions {
  /** Service CIDR for ClusterIPs (AKS default 10.0.0.0/16, DNS at 10.0.0.10). */
  serviceCidr: string;
}

const services = RESOURCES.find((r) => r.plural === 'services')!;

const NAME_RE = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;

export class Registry {
  constructor(
    private readonly store: KubeStore,
    private readonly options: RegistryOptions,
  ) {}

  /** Validates and defaults an object about to be created (mutates `obj`). */
  prepareCreate(def: ResourceDef, obj: KubeObject): void {
    const name = obj.metadata.name;
    if (!name) throw invalid(def, '', [{ field: 'metadata.name', message: 'Required value: name or generateName is required', reason: 'FieldValueRequired' }]);
    if (name.length > 253 || !NAME_RE.test(name)) {
      throw invalid(def, name, [{ field: 'metadata.name', message: `Invalid value: "${name}": a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character` }]);
    }
    if (def.kind === 'Service') this.defaultService(def, obj, undefined);
    if (def.kind === 'Deployment') this.defaultDeployment(def, obj);
    if (def.kind === 'Namespace') obj['status'] = { phase: 'Active' };
    if (def.kind === 'Namespace') obj['spec'] = { finalizers: ['kubernetes'] };
  }

  /** Validates and defaults an update; `old` is the stored object (mutates `obj`). */
  prepareUpdate(def: ResourceDef, old: KubeObject, obj: KubeObject, subresource?: string): void {
    if (def.hasStatus && subresource !== 'status') obj['status'] = structuredClone(old['status']);
    if (subresource === 'status') {
      // The status subresource changes status only.
      const status = obj['status'];
      Object.assign(obj, structuredClone({ ...old, status }));
    }
    if (def.kind === 'Service') this.defaultService(def, obj, old);
    if (def.kind === 'Deployment') this.defaultDeployment(def, obj);
    if (def.kind === 'Namespace') obj['spec'] = old['spec'];
  }

  private defaultService(def: ResourceDef, obj: KubeObject, old: KubeObject | undefined): void {
    const spec = (isObject(obj['spec']) ? obj['spec'] : (obj['spec'] = {})) as Record<string, unknown>;
    const oldSpec = (old?.['spec'] ?? {}) as Record<string, unknown>;
    spec['type'] ??= 'ClusterIP';
    spec['sessionAffinity'] ??= 'None';
    const type = spec['type'] as string;
    if (!['ClusterIP', 'NodePort', 'LoadBalancer', 'ExternalName'].includes(type)) {
      throw invalid(def, obj.metadata.name, [{ field: 'spec.type', message: `Unsupported value: "${type}": supported values: "ClusterIP", "ExternalName", "LoadBalancer", "NodePort"`, reason: 'FieldValueNotSupported' }]);
    }
    const ports = Array.isArray(spec['ports']) ? (spec['ports'] as Record<string, unknown>[]) : [];
    if (type !== 'ExternalName' && ports.length === 0) {
      throw invalid(def, obj.metadata.name, [{ field: 'spec.ports', message: 'Required value', reason: 'FieldValueRequired' }]);
    }
    const seen = new Set<string>();
    ports.forEach((p, i) => {
      p['protocol'] ??= 'TCP';
      p['targetPort'] ??= p['port'];
      const k = `${String(p['port'])}/${String(p['protocol'])}`;
      if (seen.has(k)) throw invalid(def, obj.metadata.name, [{ field: `spec.ports[${i}]`, message: `Duplicate value: core.ServicePort{Name:"${String(p['name'] ?? '')}", Protocol:"${String(p['protocol'])}", Port:${String(p['port'])}}`, reason: 'FieldValueDuplicate' }]);
      seen.add(k);
      if (ports.length > 1 && !p['name']) throw invalid(def, obj.metadata.name, [{ field: `spec.ports[${i}].name`, message: 'Required value', reason: 'FieldValueRequired' }]);
    });
    if (type === 'ExternalName') return;
    // ClusterIPs are immutable: carried over from the stored object when the update omits them.
    const oldIp = oldSpec['clusterIP'] as string | undefined;
    if (oldIp && spec['clusterIP'] === undefined) spec['clusterIP'] = oldIp;
    if (oldIp && spec['clusterIP'] !== oldIp) {
      throw invalid(def, obj.metadata.name, [{ field: 'spec.clusterIPs[0]', message: `Invalid value: []string{"${String(spec['clusterIP'])}"}: may not change once set` }]);
    }
    if (!spec['clusterIP']) spec['clusterIP'] = this.allocateClusterIp();
    else if (!old && spec['clusterIP'] !== 'None') {
      const cidr = parseCidr(this.options.serviceCidr);
      if (!cidrContains(cidr, spec['clusterIP'] as string)) {
        throw invalid(def, obj.metadata.name, [{ field: 'spec.clusterIPs', message: `Invalid value: []string{"${String(spec['clusterIP'])}"}: failed to allocate IP ${String(spec['clusterIP'])}: the provided IP (${String(spec['clusterIP'])}) is not in the valid range. The range of valid IPs is ${this.options.serviceCidr}` }]);
      }
      if (this.usedClusterIps().has(spec['clusterIP'] as string)) {
        throw invalid(def, obj.metadata.name, [{ field: 'spec.clusterIPs', message: `Invalid value: []string{"${String(spec['clusterIP'])}"}: failed to allocate IP ${String(spec['clusterIP'])}: provided IP is already allocated` }]);
      }
    }
    spec['clusterIPs'] = [spec['clusterIP']];
    spec['ipFamilies'] ??= ['IPv4'];
    spec['ipFamilyPolicy'] ??= 'SingleStack';
    spec['internalTrafficPolicy'] ??= 'Cluster';
    if (type === 'NodePort' || type === 'LoadBalancer') {
      spec['externalTrafficPolicy'] ??= 'Cluster';
      if (type === 'LoadBalancer') spec['allocateLoadBalancerNodePorts'] ??= true;
      const oldPorts = (Array.isArray(oldSpec['ports']) ? oldSpec['ports'] : []) as Record<string, unknown>[];
      const used = this.usedNodePorts();
      for (const p of ports) {
        if (p['nodePort']) continue;
        const prev = oldPorts.find((o) => o['port'] === p['port'] && (o['protocol'] ?? 'TCP') === p['protocol'])?.['nodePort'];
        if (prev) p['nodePort'] = prev;
        else {
          let n = 30000 + Math.floor(Math.random() * 2700);
          while (used.has(n)) n++;
          used.add(n);
          p['nodePort'] = n;
        }
      }
    } else {
      // Since 1.20 node ports are released when a Service stops being NodePort/LoadBalancer.
      for (const p of ports) delete p['nodePort'];
      delete spec['externalTrafficPolicy'];
      delete spec['allocateLoadBalancerNodePorts'];
    }
    if (!old) obj['status'] = { loadBalancer: {} };
  }

  private defaultDeployment(def: ResourceDef, obj: KubeObject): void {
    const spec = (isObject(obj['spec']) ? obj['spec'] : (obj['spec'] = {})) as Record<string, unknown>;
    if (!isObject(spec['selector'])) {
      throw invalid(def, obj.metadata.name, [{ field: 'spec.selector', message: 'Required value', reason: 'FieldValueRequired' }]);
    }
    spec['replicas'] ??= 1;
    spec['revisionHistoryLimit'] ??= 10;
    spec['progressDeadlineSeconds'] ??= 600;
    spec['strategy'] ??= { type: 'RollingUpdate', rollingUpdate: { maxUnavailable: '25%', maxSurge: '25%' } };
    const template = (isObject(spec['template']) ? spec['template'] : (spec['template'] = {})) as Record<string, unknown>;
    const tspec = (isObject(template['spec']) ? template['spec'] : (template['spec'] = {})) as Record<string, unknown>;
    tspec['restartPolicy'] ??= 'Always';
    tspec['dnsPolicy'] ??= 'ClusterFirst';
    tspec['schedulerName'] ??= 'default-scheduler';
    tspec['terminationGracePeriodSeconds'] ??= 30;
    tspec['securityContext'] ??= {};
    obj['status'] ??= {};
  }

  private usedClusterIps(): Set<string> {
    return new Set(this.store.list(services).map((s) => (s['spec'] as Record<string, unknown>)?.['clusterIP'] as string));
  }

  private usedNodePorts(): Set<number> {
    const out = new Set<number>();
    for (const s of this.store.list(services)) {
      for (const p of ((s['spec'] as Record<string, unknown>)?.['ports'] ?? []) as Record<string, unknown>[]) if (p['nodePort']) out.add(p['nodePort'] as number);
    }
    return out;
  }

  private allocateClusterIp(): string {
    const cidr = parseCidr(this.options.serviceCidr);
    // Start above the addresses AKS gives the kubernetes and kube-dns Services.
    const ip = firstFree(cidr, this.usedClusterIps(), 11, true);
    if (!ip) throw new Error('service CIDR exhausted');
    return ip;
  }
}
