// The runner's public address, from the `runner-ip` input or an IP echo service. A failure here
// ends the step before anything is written, and says to give the address instead.
import { request } from 'node:https';
import { UserError, errorMessage } from '@private-wire/shared/errors';
import type { StepDeadline } from '@private-wire/shared/engine/deadline';
import { proxyRoutes } from '@private-wire/shared/net/proxy-routes';
import type { Ipv4Cidr } from '@private-wire/shared/net/ipv4';
import { echoAnswerProblem, parseRange } from './ranges';

/** An echo service answers at once; longer means it is not reachable from here. */
const ECHO_TIMEOUT_MS = 15_000;
/** An address is at most 15 characters: anything much longer is not an echo answer. */
const MAX_ANSWER_BYTES = 256;

/** GET `url` and its plain-text body (at most MAX_ANSWER_BYTES), bounded by the echo timeout and the step's deadline. */
function fetchText(url: URL, deadline: StepDeadline): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const req = request(url, { method: 'GET', agent: proxyRoutes().agentFor(url.href), signal: deadline.signal, timeout: Math.min(ECHO_TIMEOUT_MS, deadline.requestTimeoutMs()), headers: { accept: 'text/plain' } }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => {
        body += chunk;
        if (body.length > MAX_ANSWER_BYTES) res.destroy();
      });
      res.on('close', () => resolve({ status: res.statusCode ?? 0, body: body.slice(0, MAX_ANSWER_BYTES) }));
      res.on('error', reject);
    });
    req.on('timeout', () => req.destroy(new Error(`no answer within ${Math.round(Math.min(ECHO_TIMEOUT_MS, deadline.requestTimeoutMs()) / 1000)} s`)));
    req.on('error', reject);
    req.end();
  });
}

/** Asks the echo service for the runner's public IPv4 address. */
export async function detectRunnerRange(url: URL, deadline: StepDeadline, name: (kebab: string) => string): Promise<Ipv4Cidr> {
  const fix = `Give the runner's public IPv4 address in '${name('runner-ip')}' (then no echo service is asked), or another '${name('ip-echo-url')}'.`;
  let answer: { status: number; body: string };
  try {
    answer = await fetchText(url, deadline);
  } catch (error) {
    throw new UserError(`The IP echo service ${url.origin} could not be reached to learn this runner's public address: ${errorMessage(error)}.`, fix);
  }
  const text = answer.body.trim();
  if (answer.status !== 200) throw new UserError(`The IP echo service ${url.origin} answered ${answer.status} instead of this runner's public address.`, fix);
  const problem = echoAnswerProblem(text);
  if (problem) throw new UserError(`The IP echo service ${url.origin} answered '${text.slice(0, 40)}', which cannot be this runner's public address: ${problem}.`, fix);
  return parseRange(text)!;
}
