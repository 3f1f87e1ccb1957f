import type { KubeApi } from './api';
import { CONFIGMAPS, DEPLOYMENTS, NAMESPACES, SERVICES } from './resources';
import type { KubeObject } from './types';

/** The Corefile AKS ships in kube-system/coredns (customisations go to coredns-custom via the imports). */
export const AKS_COREFILE = `.:53 {
    errors
    ready
    health {
      lameduck 5s
    }
    kubernetes cluster.local in-addr.arpa ip6.arpa {
      pods insecure
      fallthrough in-addr.arpa ip6.arpa
      ttl 30
    }
    prometheus :9153
    forward . /etc/resolv.conf
    cache 30
    loop
    reload
    loadbalance
    import custom/*.override
}
import custom/*.server
`;

const ADDON_LABELS = { 'addonmanager.kubernetes.io/mode': 'Reconcile', 'k8s-app': 'kube-dns', 'kubernetes.io/cluster-service': 'true' };
/** The manager AKS's addon manager writes with (kubectl apply from the addon-manager pod). */
const SYSTEM = { manager: 'kube-addon-manager' };

const ready = (replicas: number) => ({
  observedGeneration: 1,
  replicas,
  updatedReplicas: replicas,
  readyReplicas: replicas,
  availableReplicas: replicas,
  conditions: [
    { type: 'Available', status: 'True', reason: 'MinimumReplicasAvailable', message: 'Deployment has minimum availability.' },
    { type: 'Progressing', status: 'True', reason: 'NewReplicaSetAvailable', message: 'ReplicaSet has successfully progressed.' },
  ],
});

/** Writes a Deployment's status as a finished rollout at once (seeded objects start healthy). */
function markReady(api: KubeApi, d: KubeObject): KubeObject {
  const replicas = Number((d['spec'] as Record<string, unknown>)['replicas'] ?? 1);
  return api.store.update(DEPLOYMENTS, {
    ...d,
    metadata: { ...d.metadata, annotations: { ...(d.metadata.annotations ?? {}), 'deployment.kubernetes.io/revision': '1' } },
    status: ready(replicas),
  });
}

/**
 * A fresh AKS cluster's objects that our steps touch: the default namespaces, the `kubernetes`
 * Service, CoreDNS (Deployment, Corefile, the near-empty `coredns-custom` AKS creates, and the
 * `kube-dns` Service at 10.0.0.10).
 */
export function seedAks(api: KubeApi, dnsServiceIp = '10.0.0.10'): void {
  for (const name of ['default', 'kube-system', 'kube-public', 'kube-node-lease']) {
    api.create(NAMESPACES, undefined, { metadata: { name, labels: { 'kubernetes.io/metadata.name': name } } }, SYSTEM);
  }
  const apiserverIp = dnsServiceIp.replace(/\.\d+$/, '.1');
  api.create(SERVICES, 'default', {
    metadata: { name: 'kubernetes', labels: { component: 'apiserver', provider: 'kubernetes' } },
    spec: { clusterIP: apiserverIp, ports: [{ name: 'https', port: 443, protocol: 'TCP', targetPort: 443 }] },
  }, { manager: 'kube-apiserver' });
  api.create(CONFIGMAPS, 'kube-system', { metadata: { name: 'coredns', labels: ADDON_LABELS }, data: { Corefile: AKS_COREFILE } }, SYSTEM);
  // AKS creates coredns-custom with EnsureExists so users own its content.
  api.create(CONFIGMAPS, 'kube-system', {
    metadata: { name: 'coredns-custom', labels: { ...ADDON_LABELS, 'addonmanager.kubernetes.io/mode': 'EnsureExists' } },
  }, SYSTEM);
  api.create(SERVICES, 'kube-system', {
    metadata: { name: 'kube-dns', labels: { ...ADDON_LABELS, 'kubernetes.io/name': 'CoreDNS' }, annotations: { 'prometheus.io/port': '9153', 'prometheus.io/scrape': 'true' } },
    spec: {
      clusterIP: dnsServiceIp,
      selector: { 'k8s-app': 'kube-dns' },
      ports: [
        { name: 'dns', port: 53, protocol: 'UDP', targetPort: 53 },
        { name: 'dns-tcp', port: 53, protocol: 'TCP', targetPort: 53 },
      ],
    },
  }, SYSTEM);
  const coredns = api.create(DEPLOYMENTS, 'kube-system', {
    metadata: { name: 'coredns', labels: { ...ADDON_LABELS, 'kubernetes.io/name': 'CoreDNS', version: 'v20' } },
    spec: {
      replicas: 2,
      selector: { matchLabels: { 'k8s-app': 'kube-dns', version: 'v20' } },
      strategy: { type: 'RollingUpdate', rollingUpdate: { maxUnavailable: 1, maxSurge: '10%' } },
      template: {
        metadata: { labels: { 'k8s-app': 'kube-dns', version: 'v20', 'kubernetes.azure.com/managedby': 'aks' } },
        spec: {
          containers: [
            {
              name: 'coredns',
              image: 'mcr.microsoft.com/oss/kubernetes/coredns:v1.11.3-2',
              args: ['-conf', '/etc/coredns/Corefile'],
              ports: [
                { name: 'dns', containerPort: 53, protocol: 'UDP' },
                { name: 'dns-tcp', containerPort: 53, protocol: 'TCP' },
                { name: 'metrics', containerPort: 9153, protocol: 'TCP' },
              ],
              volumeMounts: [
                { name: 'config-volume', mountPath: '/etc/coredns', readOnly: true },
                { name: 'custom-config-volume', mountPath: '/etc/coredns/custom', readOnly: true },
              ],
            },
          ],
          volumes: [
            { name: 'config-volume', configMap: { name: 'coredns', items: [{ key: 'Corefile', path: 'Corefile' }] } },
            { name: 'custom-config-volume', configMap: { name: 'coredns-custom', optional: true } },
          ],
          serviceAccountName: 'coredns',
          priorityClassName: 'system-node-critical',
        },
      },
    },
  }, SYSTEM);
  markReady(api, coredns);
}

export interface AppSeed {
  name: string;
  namespace?: string;
  port?: number;
  targetPort?: number;
  replicas?: number;
  image?: string;
  /** Service type; ClusterIP by default. */
  type?: 'ClusterIP' | 'LoadBalancer' | 'NodePort';
  annotations?: Record<string, string>;
  /** Field manager the objects are created with. */
  manager?: string;
}

/** A ready Deployment plus its Service (like the `backend` app our steps expose), for test setup. */
export function seedApp(api: KubeApi, app: AppSeed): { deployment: KubeObject; service: KubeObject } {
  const ns = app.namespace ?? 'default';
  const labels = { app: app.name };
  const opts = { manager: app.manager ?? 'kubectl-create' };
  const deployment = markReady(
    api,
    api.create(DEPLOYMENTS, ns, {
      metadata: { name: app.name, labels },
      spec: {
        replicas: app.replicas ?? 2,
        selector: { matchLabels: labels },
        template: {
          metadata: { labels },
          spec: { containers: [{ name: app.name, image: app.image ?? `example.azurecr.io/${app.name}:1.0.0`, ports: [{ containerPort: app.targetPort ?? 8080, protocol: 'TCP' }] }] },
        },
      },
    }, opts),
  );
  const service = api.create(SERVICES, ns, {
    metadata: { name: app.name, labels, ...(app.annotations ? { annotations: app.annotations } : {}) },
    spec: { type: app.type ?? 'ClusterIP', selector: labels, ports: [{ port: app.port ?? 80, protocol: 'TCP', targetPort: app.targetPort ?? 8080 }] },
  }, opts);
  return { deployment, service };
}
