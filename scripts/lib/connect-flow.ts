// connect-webapp-to-aks: the provider-side procedure as one composite action (GitHub) and one steps
// template (Azure Pipelines), both generated from this flow and the steps' metadata by
// `pnpm generate` (scripts/lib/compose.ts). Every input of every stage's step is either forwarded
// from the composite input of the same name (or the one `rename` names) or set here in `set`.
import type { Flow } from './flow';

export const CONNECT_FLOW: Flow = {
  id: 'connect-webapp-to-aks',
  title: 'Connect web app to AKS',
  description: 'Wires an App Service web app to services on AKS over a private network, end to end. Safe to re-run.',
  branding: { icon: 'link', color: 'blue' },
  summary: [
    "The whole procedure in one step: optionally open the API server's authorized IP ranges to the",
    'runner for the job (`api-access`), check the private path before anything is written',
    '(check-private-path in preflight mode; `preflight: false` skips it), VNet-integrate the web app,',
    'put the backend Service on an internal load balancer (optionally with a Private Link Service),',
    "teach CoreDNS the internal zone and expose it, point the web app's DNS at it, approve allowed",
    'private endpoint requests, and last (`verify`, on by default, never after a dry run) check the path',
    "again from inside the web app, through its SCM site.",
  ].join('\n'),
  stages: [
    {
      id: 'access',
      step: 'aks-api-access',
      why: 'First, so the preflight and the Kubernetes steps can reach an API server locked to authorized IP\nranges (its one write is job-scoped: its post step removes the range it added when the job ends).',
      githubWhy:
        'GitHub runs the post step of an action used inside a composite at the end of the job (actions/runner\n#1222/#1232 "Add Pre/Post to composite actions", #1433 for nested composites), with post-if: always().',
      azurePipelinesWhy: "The task's postjobexecution removes the range whatever failed before.",
      displayName: 'Open the API server of {cluster-name} to this agent for the job',
      when: [{ input: 'api-access', is: 'true' }],
    },
    {
      id: 'preflight',
      step: 'check-private-path',
      why: 'Before any step that writes: a finding at or above `preflight-fail-on` fails this step, and the\nlater steps do not run, so nothing is wired into a path that cannot work.',
      githubWhy: 'A composite stops at its first failed step.',
      azurePipelinesWhy:
        '"By default, a step runs if nothing in its job failed yet"\n(https://learn.microsoft.com/azure/devops/pipelines/process/conditions).',
      displayName: 'Check the private path from {webapp} to {cluster-name}',
      when: [{ input: 'preflight', is: 'true' }],
      rename: { 'fail-on': 'preflight-fail-on' },
      set: { mode: { value: 'preflight', why: 'before wiring: topology only' } },
      readOnly: true,
    },
    { id: 'vnet', step: 'vnet-integrate-webapp', displayName: 'VNet-integrate {webapp}' },
    {
      id: 'expose',
      step: 'expose-internal-service',
      displayName: 'Expose {namespace}/{service} on an internal load balancer',
      // `subnet` is the web app's integration subnet everywhere else; expose's `subnet` and `ip` are the
      // Service's load balancer's.
      rename: { subnet: 'service-subnet', ip: 'service-ip' },
    },
    {
      id: 'coredns',
      step: 'configure-coredns-external',
      displayName: 'Serve {zone} from CoreDNS',
      set: { 'expose-dns': { value: 'true', why: "the web app's DNS is pointed at the load balancer it makes" } },
    },
    {
      id: 'dns',
      step: 'set-webapp-dns',
      why: 'A dry run of a first run has no DNS IP yet to point the web app at.',
      displayName: 'Point {webapp} at CoreDNS',
      when: [{ stage: 'coredns', output: 'dns-ip', notEmpty: true }],
      rename: { mode: 'dns-mode' },
      set: { 'dns-server': { stage: 'coredns', output: 'dns-ip' } },
    },
    {
      id: 'approve',
      step: 'approve-pe-connections',
      displayName: 'Approve allowed private endpoint requests',
      when: [
        { input: 'private-link', is: 'true' },
        { stage: 'expose', output: 'pls-id', notEmpty: true },
      ],
      rename: { description: 'approval-description' },
      set: {
        'resource-id': { stage: 'expose', output: 'pls-id' },
        action: { value: 'approve', why: 'the flow approves allowed requests; to reject, run approve-pe-connections on its own' },
      },
    },
    {
      id: 'verify',
      step: 'check-private-path',
      why: "Last: the same check after wiring, from the web app's side, against the DNS IP CoreDNS got.\nNothing to prove after a dry run (nothing was wired).",
      displayName: 'Verify the private path from {webapp}',
      when: [
        { input: 'verify', is: 'true' },
        { input: 'dry-run', isNot: 'true' },
      ],
      rename: { 'fail-on': 'verify-fail-on' },
      set: {
        mode: { value: 'verify', why: 'after wiring: proof from inside the web app' },
        'dns-ip': { stage: 'coredns', output: 'dns-ip' },
      },
      readOnly: true,
    },
  ],
  switches: {
    'api-access': {
      type: 'boolean',
      default: 'false',
      description:
        "Open the cluster API server's authorized IP ranges to this runner for the job (aks-api-access); its post step removes the range it added when the job ends, also after a failed step. Needs cluster-name (and cluster-resource-group when it is a name).",
    },
    preflight: {
      type: 'boolean',
      default: 'true',
      description:
        'First run check-private-path in `preflight` mode (read-only): the run stops before any write when a finding reaches `preflight-fail-on`. Needs cluster-resource-group and cluster-name; `false` skips it.',
    },
    verify: {
      type: 'boolean',
      default: 'true',
      description:
        'Last, run check-private-path in `verify` mode (never after a dry run): resolve the Service\'s name and connect to its port from inside the web app, through its SCM site (Windows apps; on Linux apps a warning says the path could not be proven).',
    },
  },
  overrides: {
    'private-link': {
      type: 'boolean',
      default: 'false',
      description:
        'Also put a Private Link Service in front of the backend (expose-internal-service `private-link`) and approve allowed requests. `false` removes one the step made before.',
    },
    'dns-ip': {
      description:
        "Private IPv4 address to pin for CoreDNS's internal load balancer (in the node subnet). Given, the preflight also checks the path to it (where it lies, the NSG verdict for DNS, routes).",
    },
    slot: { description: 'Deployment slot of the web app. Default: the production slot.' },
    wait: { description: "Wait until each step's change has taken effect (the API server's update, the load balancer IPs, the CoreDNS rollout, each approval), so the next step builds on it." },
    'dns-service': { description: "Name of the DNS load balancer Service in kube-system. Never `kube-dns`: AKS manages that one." },
    'preflight-fail-on': { description: 'Severity of a preflight finding that stops the run before any write.' },
    'verify-fail-on': { description: 'Severity of a verify finding that fails the run.' },
    'service-subnet': { description: "Subnet (name, in the cluster's VNet) for the backend Service's internal load balancer IP. Default: the node subnet." },
    'service-ip': { description: "Private IPv4 address to pin for the backend Service's internal load balancer; must be free and inside its subnet." },
    'approval-description': { description: 'Text stored on each private endpoint connection approved. Default: names this pipeline run.' },
  },
  readingOrder: ['vnet', 'expose', 'coredns', 'dns', 'approve', 'access', 'preflight', 'verify'],
  outputs: {
    'subnet-id': { stage: 'vnet', output: 'subnet-id', description: "The integration subnet's resource ID." },
    'service-ip': { stage: 'expose', output: 'ip', description: "Private IP of the backend Service's internal load balancer." },
    'dns-ip': { stage: 'coredns', output: 'dns-ip', description: "Private IP of CoreDNS on the internal load balancer, now the web app's DNS server." },
    'pls-alias': { stage: 'expose', output: 'pls-alias', description: 'Alias of the Private Link Service (with private-link).' },
    approved: { stage: 'approve', output: 'approved', description: 'Private endpoint connections approved (with private-link).' },
    findings: { stage: 'preflight', output: 'findings', description: "The preflight's findings (JSON array of {id, severity, resource, message, fix})." },
  },
};
