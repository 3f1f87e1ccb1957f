// Raw ARM requests for what the typed SDK clients do not cover well (see RawArm). The pipeline is
// @azure/arm-appservice's: any ARM path works through it; its default api-version is replaced per call.
import { createWebSiteManagement, type WebSiteManagementContext } from '@azure/arm-appservice/api';
import { armClientOptions } from './clients';
import type { AzureSession } from './credential';
import { SITE_API_VERSION } from './web-apps';

/** An error from a raw ARM call, shaped like the SDK's RestError so `translateArmError` reads it. */
export class ArmResponseError extends Error {
  constructor(
    readonly statusCode: number,
    readonly code: string | undefined,
    message: string,
  ) {
    super(message);
  }
}

/**
 * Raw JSON access to ARM through an SDK pipeline (sign-in, retries, timeouts, proxy, user agent),
 * with the api-version given per call. Used where a body must hold exactly the fields a step owns
 * (a site's PATCH: the typed models add none, but they also drop fields a step must see as read),
 * for conditional PUTs (If-Match / If-None-Match), and for resource types without a chosen SDK
 * (private DNS zones, Front Door profiles).
 */
export class RawArm {
  private readonly context: WebSiteManagementContext;

  constructor(session: AzureSession, subscriptionId = session.subscriptionId) {
    this.context = createWebSiteManagement(session.credential, subscriptionId, { ...armClientOptions(session), apiVersion: SITE_API_VERSION });
  }

  async get(path: string, apiVersion: string): Promise<Record<string, unknown>> {
    return this.send('GET', path, apiVersion);
  }

  /**
   * GET a collection, following `nextLink` across pages (ARM lists may page: x-ms-pageable). A
   * nextLink is absolute and carries its own api-version, so it is fetched as it is.
   */
  async list(path: string, apiVersion: string): Promise<Record<string, unknown>[]> {
    const items: Record<string, unknown>[] = [];
    let page = await this.get(path, apiVersion);
    for (;;) {
      if (Array.isArray(page.value)) items.push(...(page.value as Record<string, unknown>[]));
      const next = typeof page.nextLink === 'string' && page.nextLink ? page.nextLink : undefined;
      if (!next) return items;
      const response = await this.context.pathUnchecked(next).get();
      const status = Number(response.status);
      if (status >= 400) throw responseError(status, response.body);
      page = (response.body ?? {}) as Record<string, unknown>;
    }
  }

  /** PATCH (only the fields in `body` change), waiting for a long-running answer to finish; returns the resource. */
  async patch(path: string, apiVersion: string, body: unknown): Promise<Record<string, unknown>> {
    return this.send('PATCH', path, apiVersion, body);
  }

  /**
   * PUT with request headers (e.g. If-Match / If-None-Match for a conditional write), for
   * resources whose PUT answers at once (200/201); returns the resource. A 412 throws, as any error.
   */
  async put(path: string, apiVersion: string, body: unknown, headers: Record<string, string> = {}): Promise<Record<string, unknown>> {
    return this.send('PUT', path, apiVersion, body, headers);
  }

  private async send(method: 'GET' | 'PATCH' | 'PUT', path: string, apiVersion: string, body?: unknown, headers: Record<string, string> = {}): Promise<Record<string, unknown>> {
    const resource = this.context.pathUnchecked(path);
    const options = { queryParameters: { 'api-version': apiVersion }, headers, ...(body === undefined ? {} : { body, contentType: 'application/json' }) };
    const response = method === 'GET' ? await resource.get(options) : method === 'PUT' ? await resource.put(options) : await resource.patch(options);
    const status = Number(response.status);
    if (status >= 400) throw responseError(status, response.body);
    const poll = response.headers['azure-asyncoperation'] ?? response.headers.location;
    if (method !== 'GET' && (status === 201 || status === 202) && poll) {
      await this.waitFor(poll);
      return this.get(path, apiVersion);
    }
    return (response.body ?? {}) as Record<string, unknown>;
  }

  private async waitFor(url: string): Promise<void> {
    for (let attempt = 0; attempt < 600; attempt++) {
      const response = await this.context.pathUnchecked(url).get();
      const status = Number(response.status);
      if (status >= 400) throw responseError(status, response.body);
      const state = String((response.body as { status?: string } | undefined)?.status ?? (status === 202 ? 'InProgress' : 'Succeeded'));
      if (/^(succeeded)$/i.test(state)) return;
      if (/^(failed|canceled|cancelled)$/i.test(state)) throw responseError(500, response.body);
      const retryAfter = Number(response.headers['retry-after'] ?? 1);
      await new Promise((r) => setTimeout(r, Math.min(Math.max(retryAfter, 0), 10) * 1000 || 50));
    }
    throw new Error(`the operation at ${url} did not finish`);
  }
}

function responseError(status: number, body: unknown): ArmResponseError {
  const error = (body as { error?: { code?: string; message?: string } } | undefined)?.error;
  return new ArmResponseError(status, error?.code, error?.message ?? `HTTP ${status}`);
}
