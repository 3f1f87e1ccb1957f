import type { V1ObjectMeta } from '@kubernetes/client-node';

/** The field manager every private-wire step writes with, so server-side apply tracks what is ours. */
export const FIELD_MANAGER = 'private-wire';

/**
 * Annotation keys a manager set with server-side apply (from `metadata.managedFields`). A step
 * re-applies its whole config each time; keys it applied before and no longer wants are removed
 * by that apply, so the plan must show them even when every wanted key is already right.
 */
export function appliedAnnotationKeys(metadata: V1ObjectMeta | undefined, manager = FIELD_MANAGER): Set<string> {
  const keys = new Set<string>();
  for (const entry of metadata?.managedFields ?? []) {
    if (entry.manager !== manager || entry.operation !== 'Apply') continue;
    const fields = entry.fieldsV1 as Record<string, Record<string, Record<string, unknown>>> | undefined;
    for (const key of Object.keys(fields?.['f:metadata']?.['f:annotations'] ?? {})) {
      if (key.startsWith('f:')) keys.add(key.slice(2));
    }
  }
  return keys;
}
