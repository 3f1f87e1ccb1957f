import { azureInputs, type AzureInputs } from '../azure/inputs';
import { KUBERNETES_INPUTS, type KubernetesInputs } from '../kubernetes/inputs';
import type { InputSpec, OutputSpec, StepMetadata, StepService } from './types';

/**
 * What `comment-on-pr` needs beyond a step's roles, on each host (the input's description and the
 * generated "Required roles" section say it from here).
 */
export const COMMENT_ON_PR_NEEDS = {
  github: '`permissions: pull-requests: write` for the job (or a `github-token` that may comment)',
  azurePipelines: "'Contribute to pull requests' on the repository for the build service identity (Azure Repos pull requests only)",
} as const;

/** Inputs every step has. */
export const COMMON_INPUTS = {
  'dry-run': {
    type: 'boolean',
    default: 'false',
    description: 'Read the current state and show the plan without changing anything.',
  },
  timeout: {
    type: 'integer',
    default: '600',
    min: 1,
    max: 3600,
    description: 'How long the step may take in all, in seconds. A request still unanswered then fails the step.',
  },
  'comment-on-pr': {
    type: 'boolean',
    default: 'false',
    label: 'Comment the plan on the pull request',
    visibleWhen: { 'dry-run': 'true' },
    description: `With \`dry-run\` on a pull request: post the plan as a pull-request comment, and update that same comment on later runs. GitHub: needs ${COMMENT_ON_PR_NEEDS.github}. Azure Pipelines: needs ${COMMENT_ON_PR_NEEDS.azurePipelines}. A comment that cannot be posted is a warning, never a failure.`,
  },
  'github-token': {
    type: 'string',
    host: 'github',
    secret: true,
    default: '${{ github.token }}',
    description: 'Token that posts the `comment-on-pr` comment (needs `pull-requests: write`). Default: the job\'s GITHUB_TOKEN.',
  },
} as const satisfies Record<string, InputSpec>;

/** The connection inputs a step gets from what it talks to (the types of connectionInputs). */
export type ConnectionInputs<S extends StepService> = S extends 'azure'
  ? AzureInputs
  : S extends 'kubernetes' | 'azure-and-kubernetes'
    ? KubernetesInputs & AzureInputs
    : Record<never, InputSpec>;

/** Every input a step has on some host: its own (which win), its connection inputs and the common ones. */
export type InputsOf<M extends StepMetadata> = M['inputs'] & Omit<ConnectionInputs<M['service']> & typeof COMMON_INPUTS, keyof M['inputs']>;

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

/**
 * A step's full input list as the hosts see it: its own, the connection inputs, then the common
 * ones (a step may declare a common input itself, e.g. `timeout` with its own description).
 */
export function allInputs(metadata: StepMetadata): Record<string, InputSpec> {
  const common = Object.entries(COMMON_INPUTS as Record<string, InputSpec>).filter(([name]) => !(name in metadata.inputs));
  // A step's own spec of a connection input wins (check-private-path requires cluster-name, which
  // is optional for the Kubernetes steps); the key order stays the connection inputs'.
  const connection = Object.fromEntries(Object.entries(connectionInputs(metadata.service)).map(([name, spec]) => [name, metadata.inputs[name] ?? spec]));
  return { ...metadata.inputs, ...connection, ...Object.fromEntries(common) };
}

export function allOutputs(metadata: StepMetadata): Record<string, OutputSpec> {
  return { ...metadata.outputs, ...COMMON_OUTPUTS };
}

/** Inputs that exist on the given host. */
export function inputsFor(metadata: StepMetadata, host: 'github' | 'azure-pipelines'): [string, InputSpec][] {
  return Object.entries(allInputs(metadata)).filter(([, spec]) => !spec.host || spec.host === host);
}
