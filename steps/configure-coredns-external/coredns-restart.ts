// When CoreDNS must be restarted to load our coredns-custom key. A restart is recorded on the
// coredns Deployment (in the same patch that restarts it) with the hash of the key it loads, so a
// run that changed the ConfigMap but stopped before restarting is finished by the next run.
import { createHash } from 'node:crypto';
import type { V1Deployment } from '@kubernetes/client-node';
import { CONFIGMAP, OWN_KEY } from './coredns-custom';

/** Annotation on the coredns Deployment: sha256 of our coredns-custom key as of the last restart this step made. */
export const LOADED_CONFIG_ANNOTATION = 'private-wire/coredns-custom-sha256';

export function configHash(content: string): string {
  return createHash('sha256').update(content).digest('hex');
}

/** Why CoreDNS needs a restart to serve `content`, or undefined when the last restart loaded it. */
export function restartReason(deployment: V1Deployment, content: string, configMapChanges: boolean): string | undefined {
  if (configMapChanges) return `${CONFIGMAP} changed`;
  const recorded = deployment.metadata?.annotations?.[LOADED_CONFIG_ANNOTATION];
  if (recorded === configHash(content)) return undefined;
  return recorded
    ? `the last restart loaded an older ${OWN_KEY} (an earlier run stopped between the change and the restart)`
    : `no restart by this step has loaded the current ${OWN_KEY} yet`;
}
