import type { Host } from '../../hosts/host';

/**
 * The default text stored on each connection: which pipeline run approved or rejected it, so
 * whoever looks at the connection in the portal can trace the decision back.
 */
export function runDescription(host: Host, action: 'approve' | 'reject'): string {
  const verb = action === 'approve' ? 'Approved' : 'Rejected';
  const env = host.env;
  if (host.kind === 'github' && env.GITHUB_REPOSITORY && env.GITHUB_RUN_ID) {
    return `${verb} by private-wire in GitHub Actions run ${env.GITHUB_REPOSITORY}#${env.GITHUB_RUN_ID}`;
  }
  if (host.kind === 'azure-pipelines' && env.BUILD_REPOSITORY_NAME && env.BUILD_BUILDID) {
    return `${verb} by private-wire in Azure Pipelines build ${env.BUILD_REPOSITORY_NAME}#${env.BUILD_BUILDID}`;
  }
  return `${verb} by private-wire`;
}
