import { runGitHubAction } from '@private-wire/shared/hosts/github';
import { vnetIntegrateWebappStep } from '@private-wire/shared/steps/vnet-integrate-webapp/index';

void runGitHubAction(vnetIntegrateWebappStep);
