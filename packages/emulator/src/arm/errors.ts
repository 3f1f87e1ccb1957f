import { randomUUID } from 'node:crypto';
import { json, type Reply } from '../http';

/** An ARM error response: `{error:{code,message}}` with the HTTP status ARM uses for it. */
export class ArmError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly details?: { code: string; message: string }[],
  ) {
    super(message);
  }

  toReply(): Reply {
    return json(this.status, { error: { code: this.code, message: this.message, ...(this.details ? { details: this.details } : {}) } });
  }
}

export const notFound = (type: string, name: string, resourceGroup: string) =>
  new ArmError(404, 'ResourceNotFound', `The Resource '${type}/${name}' under resource group '${resourceGroup}' was not found. For more details please go to https://aka.ms/ARMResourceNotFoundFix`);

export const groupNotFound = (rg: string) => new ArmError(404, 'ResourceGroupNotFound', `Resource group '${rg}' could not be found.`);

export const subscriptionNotFound = (s: string) => new ArmError(404, 'SubscriptionNotFound', `The subscription '${s}' could not be found.`);

export const badRequest = (code: string, message: string) => new ArmError(400, code, message);

export const requestId = () => randomUUID();
