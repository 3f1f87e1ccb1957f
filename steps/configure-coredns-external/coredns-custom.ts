import type { V1ConfigMap } from '@kubernetes/client-node';
import { UserError } from '@private-wire/shared/errors';
import type { Change } from '@private-wire/shared/engine/plan';
import { kubeStatusCode } from '@private-wire/shared/kubernetes/errors';
import type { KubeClient, KubeObject, ObjectRef } from '@private-wire/shared/kubernetes/kube-client';
import { renderK8sExternal } from './corefile';
import type { CorednsSettings } from './settings';
import { zoneConflict, zoneError } from './zone-rules';

export const NAMESPACE = 'kube-system';
export const CONFIGMAP = 'coredns-custom';
/**
 * Our key. `.override` snippets are imported into the default server block, where the
 * kubernetes plugin lives; k8s_external needs it (a `.server` block would have none).
 */
export const OWN_KEY = 'private-wire-k8s-external.override';

const RESOURCE = `ConfigMap ${NAMESPACE}/${CONFIGMAP}`;
const ATTEMPTS = 3;

export const CONFIGMAP_REF: ObjectRef = { kind: 'ConfigMap', name: CONFIGMAP, namespace: NAMESPACE };

async function read(kube: KubeClient): Promise<V1ConfigMap | undefined> {
  const [cm] = await kube.read([CONFIGMAP_REF]);
  return cm as V1ConfigMap | undefined;
}

/** Refuses a zone another key serves; keys that do not parse are reported, not fatal (CoreDNS skips nothing, but we cannot judge them). */
function checkZone(cm: V1ConfigMap | undefined, s: CorednsSettings, shown: string, warn: (m: string) => void): void {
  const { conflict, unreadable } = zoneConflict(cm?.data ?? {}, OWN_KEY, s.zone, shown);
  if (conflict) throw zoneError(conflict);
  if (unreadable.length) warn(`Could not parse ${unreadable.join(', ')} in ${RESOURCE}; CoreDNS may fail to load it, and it was not checked for the zone.`);
}

function keyChangedMeanwhile(now: string | undefined, zone: string): UserError {
  const served = now?.split('\n').find((l) => l.startsWith('k8s_external'))?.replace(/\s*\{$/, '');
  return new UserError(
    `Key ${OWN_KEY} of ${RESOURCE} was changed by someone else while this step ran (it now ${served ? `has '${served}'` : 'is gone'}), so '${zone}' was not written over it.`,
    'Another run of this step (or a person) is configuring CoreDNS at the same time: let one finish, then re-run with the zone you want.',
  );
}

/**
 * Plans our key in coredns-custom. Only that key is written, with a merge patch carrying the
 * resourceVersion we read: a concurrent edit makes the API server answer 409 instead of being
 * overwritten, and every other key stays byte for byte as it is. AKS owns the ConfigMap's life,
 * so it is never deleted or replaced.
 */
export function planCorednsCustom(kube: KubeClient, cm: V1ConfigMap | undefined, s: CorednsSettings, shown: string, warn: (m: string) => void): Change {
  const content = renderK8sExternal(s.zone, s.ttl, s.headless);
  checkZone(cm, s, shown, warn);
  const before = cm?.data?.[OWN_KEY];
  if (before === content) return { resource: RESOURCE, action: 'none', detail: `key ${OWN_KEY} already serves ${s.zone}` };

  const write = async () => {
    let current = cm;
    for (let attempt = 1; ; attempt++) {
      try {
        if (!current) {
          await kube.create({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: CONFIGMAP, namespace: NAMESPACE }, data: { [OWN_KEY]: content } } as KubeObject);
        } else {
          await kube.patch(CONFIGMAP_REF, 'merge', { metadata: { resourceVersion: current.metadata?.resourceVersion }, data: { [OWN_KEY]: content } });
        }
        return;
      } catch (error) {
        // 409: someone changed (or created) it since we read it; re-read and re-check before retrying.
        if (kubeStatusCode(error) !== 409 || attempt >= ATTEMPTS) {
          if (kubeStatusCode(error) === 409) {
            throw new UserError(`${RESOURCE} kept changing while this step wrote it (${ATTEMPTS} attempts).`, 'Something else is editing it right now; re-run when it is done.');
          }
          throw error;
        }
        current = await read(kube);
        checkZone(current, s, shown, warn);
        const now = current?.data?.[OWN_KEY];
        if (now === content) return;
        // Our key itself changed since the plan: another run (another zone?) wrote it. Overwriting
        // would silently drop what that run just set, so stop and say so.
        if (now !== before) throw keyChangedMeanwhile(now, s.zone);
      }
    }
  };
  return {
    resource: RESOURCE,
    action: cm ? 'update' : 'create',
    detail: before === undefined ? `add key ${OWN_KEY}: k8s_external ${s.zone} (ttl ${s.ttl}${s.headless ? ', headless' : ''}); other keys unchanged` : `replace key ${OWN_KEY}; other keys unchanged`,
    before: before?.split('\n').find((l) => l.startsWith('k8s_external')),
    after: `k8s_external ${s.zone} (ttl ${s.ttl}${s.headless ? ', headless' : ''})`,
    apply: write,
  };
}
