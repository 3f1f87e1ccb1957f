import type { Route } from './server';
import type { RunnerNetwork } from './kube/firewall';

/**
 * An IP echo service: `GET /ip-echo` answers the caller's public IPv4 address as plain text, as
 * https://api.ipify.org does ("text" is its default format: https://www.ipify.org, "API Usage").
 * The caller is always the runner, whose public address is `network.runnerAddress`.
 */
export function ipEchoRoute(network: RunnerNetwork): Route {
  return {
    surface: 'echo',
    owns: (path) => path === '/ip-echo',
    handle: (ctx) => (ctx.method === 'GET' ? { status: 200, body: network.runnerAddress, headers: { 'content-type': 'text/plain' } } : { status: 405, body: 'GET only' }),
  };
}
