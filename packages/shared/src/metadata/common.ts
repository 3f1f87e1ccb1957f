import { azureInputs } from '../azure/inputs';
import { KUBERNETES_INPUTS } from '../kubernetes/inputs';
import type { InputSpec, OutputSpec, StepMetadata } from './types';

/** Inputs every step has. */
export const COMMON_INPUTS: Record<string, InputSpec> = {
  'dry-run': {
    type: 'boolean',
    default: 'false',
    description: 'Read the current state and show the plan without changing anything.',
  },
};

/** Outputs every step has. */
export const COMMON_OUTPUTS: Record<string, OutputSpec> = {
  changed: {
    description: '`true` when the plan has any write (also in dry-run, where nothing is written).',
  },
};

/** Connection inputs a step gets from what it talks to. */
export function connectionInputs(service: StepMetadata['service']): Record<string, InputSpec> {
  switch (service) {
    case 'azure':
      return azureInputs(true);
    case 'kubernetes':
      // Azure sign-in stays optional: only needed to fetch AKS credentials by cluster name.
      return { ...KUBERNETES_INPUTS, ...azureInputs(false) };
    case 'azure-and-kubernetes':
      return { ...KUBERNETES_INPUTS, ...azureInputs(true) };
    default:
      return {};
  }
}

/** A step's full input list as the hosts see it: its own, the connection inputs, then the common ones. */
export function allInputs(metadata: StepMetadata): Record<string, InputSpec> {
  return { ...metadata.inputs, ...connectionInputs(metadata.service), ...COMMON_INPUTS };
}

export function allOutputs(metadata: StepMetadata): Record<string, OutputSpec> {
  return { ...metadata.outputs, ...COMMON_OUTPUTS };
}

/** Inputs that exist on the given host. */
export function inputsFor(metadata: StepMetadata, host: 'github' | 'azure-pipelines'): [string, InputSpec][] {
  return Object.entries(allInputs(metadata)).filter(([, spec]) => !spec.host || spec.host === host);
}
