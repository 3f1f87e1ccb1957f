import type { ResourceDef } from './resources';
import type { KubeObject } from './types';

/**
 * Server-side printing (`meta.k8s.io/v1` Table), which kubectl asks for on `get`: the columns the
 * real API server prints for the kinds the stand-in serves.
 */
type Column = { name: string; type: string; format: string; description: string; priority: number };
const col = (name: string, type = 'string', priority = 0, format = ''): Column => ({ name, type, format, description: name, priority });

/** kubectl's HumanDuration, which Age columns use. */
export function humanDuration(ms: number): string {
  const s = Math.max(0, Math.floor(ms / 1000));
  if (s < 120) return `${s}s`;
  const m = Math.floor(s / 60);
  if (m < 10) return `${m}m${s % 60 ? `${s % 60}s` : ''}`;
  if (m < 180) return `${m}m`;
  const h = Math.floor(m / 60);
  if (h < 8) return `${h}h${m % 60 ? `${m % 60}m` : ''}`;
  if (h < 48) return `${h}h`;
  return `${Math.floor(h / 24)}d`;
}

const age = (o: KubeObject) => (o.metadata.creationTimestamp ? humanDuration(Date.now() - Date.parse(o.metadata.creationTimestamp)) : '<unknown>');
type Rec = Record<string, unknown>;
const get = (o: unknown, path: string): unknown => path.split('.').reduce<unknown>((c, k) => (c && typeof c === 'object' ? (c as Rec)[k] : undefined), o);

const selectorText = (sel: unknown) =>
  sel && typeof sel === 'object' && Object.keys(sel).length ? Object.entries(sel as Rec).map(([k, v]) => `${k}=${String(v)}`).join(',') : '<none>';

const PRINTERS: Record<string, { columns: Column[]; cells: (o: KubeObject) => unknown[] }> = {
  Service: {
    columns: [col('Name', 'string', 0, 'name'), col('Type'), col('Cluster-IP'), col('External-IP'), col('Port(s)'), col('Age'), col('Selector', 'string', 1)],
    cells: (o) => {
      const type = String(get(o, 'spec.type') ?? 'ClusterIP');
      const ingress = (get(o, 'status.loadBalancer.ingress') ?? []) as Rec[];
      const ips = ingress.map((i) => i['ip'] ?? i['hostname']).filter(Boolean);
      const external = type === 'LoadBalancer' ? (ips.length ? ips.join(',') : '<pending>') : type === 'ExternalName' ? String(get(o, 'spec.externalName')) : '<none>';
      const ports = ((get(o, 'spec.ports') ?? []) as Rec[])
        .map((p) => `${String(p['port'])}${p['nodePort'] ? `:${String(p['nodePort'])}` : ''}/${String(p['protocol'] ?? 'TCP')}`)
        .join(',');
      return [o.metadata.name, type, get(o, 'spec.clusterIP') ?? '<none>', external, ports || '<none>', age(o), selectorText(get(o, 'spec.selector'))];
    },
  },
  Deployment: {
    columns: [col('Name', 'string', 0, 'name'), col('Ready'), col('Up-to-date', 'integer'), col('Available', 'integer'), col('Age'), col('Containers', 'string', 1), col('Images', 'string', 1), col('Selector', 'string', 1)],
    cells: (o) => {
      const containers = (get(o, 'spec.template.spec.containers') ?? []) as Rec[];
      return [
        o.metadata.name,
        `${Number(get(o, 'status.readyReplicas') ?? 0)}/${Number(get(o, 'spec.replicas') ?? 0)}`,
        Number(get(o, 'status.updatedReplicas') ?? 0),
        Number(get(o, 'status.availableReplicas') ?? 0),
        age(o),
        containers.map((c) => c['name']).join(','),
        containers.map((c) => c['image']).join(','),
        selectorText(get(o, 'spec.selector.matchLabels')),
      ];
    },
  },
  ConfigMap: {
    columns: [col('Name', 'string', 0, 'name'), col('Data', 'integer'), col('Age')],
    cells: (o) => [o.metadata.name, Object.keys((o['data'] as Rec) ?? {}).length + Object.keys((o['binaryData'] as Rec) ?? {}).length, age(o)],
  },
  Namespace: {
    columns: [col('Name', 'string', 0, 'name'), col('Status'), col('Age')],
    cells: (o) => [o.metadata.name, get(o, 'status.phase') ?? 'Active', age(o)],
  },
  Event: {
    columns: [col('Last Seen'), col('Type'), col('Reason'), col('Object'), col('Message'), col('Name', 'string', 1, 'name')],
    cells: (o) => [
      o['lastTimestamp'] ? humanDuration(Date.now() - Date.parse(String(o['lastTimestamp']))) : '<unknown>',
      o['type'],
      o['reason'],
      `${String(get(o, 'involvedObject.kind')).toLowerCase()}/${String(get(o, 'involvedObject.name'))}`,
      o['message'],
      o.metadata.name,
    ],
  },
};

/** Whether an Accept header asks for server-side printing. */
export const wantsTable = (accept: string | undefined) => /as=Table/.test(accept ?? '');

export function toTable(def: ResourceDef, objects: KubeObject[], resourceVersion: string, includeObject: string | undefined) {
  const printer = PRINTERS[def.kind]!;
  return {
    kind: 'Table',
    apiVersion: 'meta.k8s.io/v1',
    metadata: { resourceVersion },
    columnDefinitions: printer.columns,
    rows: objects.map((o) => ({
      cells: printer.cells(o),
      object:
        includeObject === 'None'
          ? undefined
          : includeObject === 'Object'
            ? o
            : { kind: 'PartialObjectMetadata', apiVersion: 'meta.k8s.io/v1', metadata: o.metadata },
    })),
  };
}
