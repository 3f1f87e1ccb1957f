/** How an input's text is parsed. */
export type InputType =
  | 'string'
  | 'multiline'
  | 'boolean'
  | 'integer'
  /** Comma- or newline-separated values. */
  | 'list'
  /** One of `options`. */
  | 'choice'
  /** An Azure Pipelines service connection (task.json `connectedService:<connection>`). */
  | 'service-connection';

export interface InputSpec {
  type: InputType;
  description: string;
  required?: boolean;
  /** Default as the user would write it (action.yml / task.json carry it as text). */
  default?: string;
  /** Allowed values of a `choice` input. */
  options?: readonly string[];
  /**
   * What the task editor shows for each value of a `choice` input, or of a `boolean` without a
   * default (three states: `true`, `false`, empty), keyed by value (`''` for empty). A boolean
   * without a default is a pick list in task.json, never a checkbox: an unchecked box is `false`,
   * and empty means something else (e.g. "leave it as it is").
   */
  optionLabels?: Readonly<Record<string, string>>;
  /** Bounds of an `integer` input (inclusive). */
  min?: number;
  max?: number;
  /** Masked on both hosts as soon as it is read. */
  secret?: boolean;
  /** Only on this host (e.g. GitHub OIDC inputs, Azure Pipelines service connections). */
  host?: HostKind;
  /** For `service-connection`: the connection type, e.g. `AzureRM`, `kubernetes`. */
  connection?: string;
  /** Short label for the Azure Pipelines UI; derived from the name when absent ('dns-ip' → 'DNS IP'). */
  label?: string;
  /**
   * Section of the Azure Pipelines task editor (task.json `groupName`). Default: `connection` for
   * the sign-in and cluster inputs, `advanced` for the common ones, `target` for a step's own.
   */
  group?: InputGroup;
  /**
   * Shown in the task editor only while every named input has the given value (task.json
   * `visibleRule`, e.g. `{ 'private-link': 'true' }` → `privateLink = true`). The step still reads
   * the input whatever the rule says; the rule only hides what cannot matter.
   */
  visibleWhen?: Readonly<Record<string, string>>;
  /**
   * Left out of task.json, so the task editor and the YAML schema do not offer it, for what the
   * Azure Pipelines service connection decides (its cloud); the step still reads it when given.
   */
  notInTaskJson?: boolean;
}

/** Sections of the Azure Pipelines task editor (scripts/lib/generate.ts names and orders them). */
export type InputGroup = 'connection' | 'target' | 'advanced';

export interface OutputSpec {
  description: string;
}

export type HostKind = 'github' | 'azure-pipelines';

/** What a step talks to; decides which connection inputs every host adds. */
export type StepService = 'none' | 'azure' | 'kubernetes' | 'azure-and-kubernetes';

/**
 * One Azure RBAC need of a step. Action names are resource provider operations as Microsoft Learn lists
 * them (https://learn.microsoft.com/azure/role-based-access-control/resource-provider-operations).
 */
export interface AzurePermission {
  /** What to assign it on, in words (e.g. `the web app`). */
  scope: string;
  /** Shell variable holding that resource's ID in docs/SETUP.md's `az role assignment create` commands. */
  scopeVar: string;
  /** The actions the step's code calls (e.g. `Microsoft.Web/sites/write`). */
  actions: readonly string[];
  /** A built-in role that grants them (https://learn.microsoft.com/azure/role-based-access-control/built-in-roles). */
  role: string;
  /** When the step needs it (e.g. `with \`zone\``); always when absent. */
  when?: string;
}

/** One Kubernetes RBAC need of a step: verbs on resources, in a namespace or cluster-wide. */
export interface KubernetesPermission {
  /** `the namespace input`, `kube-system`, or `cluster` for cluster-scoped resources. */
  namespace: string;
  resources: readonly string[];
  verbs: readonly string[];
  when?: string;
}

/** The roles a step needs; README's "Required roles" table and docs/SETUP.md are generated from them. */
export interface StepPermissions {
  azure: readonly AzurePermission[];
  kubernetes: readonly KubernetesPermission[];
}

/**
 * Everything the hosts need to know about a step. One object per step generates its action.yml,
 * task.json and the input/output tables of its README.
 */
export interface StepMetadata {
  /** kebab-case; the folder under actions/ and tasks/. */
  id: string;
  title: string;
  description: string;
  service: StepService;
  inputs: Record<string, InputSpec>;
  outputs: Record<string, OutputSpec>;
  /** Azure Pipelines task identity: a GUID that never changes once published. */
  task: {
    id: string;
    /**
     * The task's name in the task picker (task.json `friendlyName`, at most 40 characters: tfx
     * refuses longer ones). Default: `private-wire: <title>`.
     */
    friendlyName?: string;
    /** Shown in the pipeline editor's step list; may use $(inputName). */
    instanceNameFormat: string;
    category?: 'Azure Pipelines' | 'Deploy' | 'Utility';
  };
  branding: { icon: string; color: 'white' | 'yellow' | 'blue' | 'green' | 'orange' | 'red' | 'purple' | 'gray-dark' };
  /** Runs again after the job (GitHub `post`, Azure Pipelines `postjobexecution`) for cleanup. */
  post?: boolean;
  /** What the step's identity must be allowed to do (docs only; nothing checks it at run time). */
  permissions?: StepPermissions;
}
