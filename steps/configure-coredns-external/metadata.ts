import type { StepMetadata } from '@private-wire/shared/metadata/types';
import { AKS_CREDENTIAL_PERMISSIONS } from '@private-wire/shared/kubernetes/permissions';

export const configureCorednsExternalMetadata = {
  id: 'configure-coredns-external',
  title: 'Configure CoreDNS external zone',
  description:
    'Makes CoreDNS answer <service>.<namespace>.<zone> with internal load balancer IPs (k8s_external in coredns-custom) and exposes it on an internal load balancer.',
  service: 'kubernetes',
  inputs: {
    zone: { type: 'string', label: 'DNS zone', required: true, description: 'DNS zone for the Services\' internal names, e.g. `internal.example` (not `cluster.local`).' },
    'allow-public-zone': {
      type: 'boolean',
      group: 'advanced',
      default: 'false',
      description:
        'Allow a `zone` that would take over names belonging to others: a single label, a public suffix or an Azure domain (CoreDNS answers every name in the zone, so the VNet no longer resolves the real ones).',
    },
    ttl: { type: 'integer', group: 'advanced', default: '5', min: 0, max: 3600, description: 'TTL of the answers, in seconds (0–3600).' },
    headless: { type: 'boolean', group: 'advanced', default: 'false', description: 'Also answer for headless Services (k8s_external `headless`).' },
    'expose-dns': {
      type: 'boolean',
      label: 'Expose DNS on an internal load balancer',
      default: 'true',
      description: 'Create a LoadBalancer Service on an internal load balancer (TCP and UDP 53) in front of CoreDNS, so the VNet (e.g. a web app) can query it.',
    },
    'dns-service': {
      type: 'string',
      label: 'DNS Service name',
      visibleWhen: { 'expose-dns': 'true' },
      default: 'kube-dns-internal',
      description: 'Name of that Service in kube-system. Never `kube-dns`: AKS manages that one.',
    },
    'dns-ip': { type: 'string', visibleWhen: { 'expose-dns': 'true' }, description: 'Private IPv4 address to pin for the DNS load balancer (`azure-load-balancer-ipv4`).' },
    'dns-subnet': { type: 'string', visibleWhen: { 'expose-dns': 'true' }, description: 'Subnet (name) for the DNS load balancer IP (`azure-load-balancer-internal-subnet`). Default: the node subnet.' },
    restart: {
      type: 'boolean',
      group: 'advanced',
      default: 'true',
      description: 'Restart the coredns Deployment when coredns-custom changed, so the new zone is served at once (otherwise CoreDNS\'s reload picks it up within minutes).',
    },
    wait: { type: 'boolean', group: 'advanced', default: 'true', description: 'Wait for the CoreDNS rollout and for the DNS load balancer IP.' },
    timeout: { type: 'integer', default: '600', min: 1, max: 3600, description: 'How long the step may take in all, the CoreDNS rollout and the wait for the DNS IP included, in seconds.' },
  },
  outputs: {
    'dns-ip': { description: 'Private IP of the DNS load balancer (with expose-dns; empty when not waiting and not assigned yet).' },
  },
  task: { id: '1fd733a9-a705-4e31-8de4-002d540d85fb', friendlyName: 'private-wire: CoreDNS external zone', instanceNameFormat: 'CoreDNS: serve $(zone)' },
  branding: { icon: 'globe', color: 'blue' },
  // coredns-custom.ts reads, creates or patches the coredns-custom ConfigMap; dns-service.ts reads and applies
  // (PATCH, or create) the DNS Service, whose load balancer IP load-balancer.ts waits for (list and watch the
  // Service and its events) with `expose-dns`; step.ts patches the CoreDNS Deployment and rollout.ts gets and watches it.
  permissions: {
    azure: [...AKS_CREDENTIAL_PERMISSIONS],
    kubernetes: [
      { namespace: 'kube-system', resources: ['configmaps'], verbs: ['get', 'create', 'patch'] },
      { namespace: 'kube-system', resources: ['services'], verbs: ['get', 'create', 'patch'], when: 'with `expose-dns`' },
      { namespace: 'kube-system', resources: ['services', 'events'], verbs: ['list', 'watch'], when: 'with `expose-dns`' },
      { namespace: 'kube-system', resources: ['deployments'], verbs: ['get', 'patch', 'watch'] },
    ],
  },
} as const satisfies StepMetadata;
