// The few parts of oidc-provider (which ships no types) that the test identity provider uses.
declare module "oidc-provider" {
  import type { IncomingMessage, ServerResponse } from "node:http";

  type AnyObject = Record<string, unknown>;

  export class Grant {
    constructor(init: { accountId: string; clientId: string });
    addOIDCScope(scope: string): void;
    addOIDCClaims(claims: string[]): void;
    save(): Promise<string>;
  }

  export type InteractionDetails = { uid: string; prompt: { name: string; details: AnyObject }; params: AnyObject; session?: { accountId?: string } };

  export default class Provider {
    constructor(issuer: string, configuration: AnyObject);
    callback(): (req: IncomingMessage, res: ServerResponse) => void;
    interactionDetails(req: IncomingMessage, res: ServerResponse): Promise<InteractionDetails>;
    interactionFinished(req: IncomingMessage, res: ServerResponse, result: AnyObject, options?: AnyObject): Promise<void>;
    Grant: typeof Grant;
    proxy: boolean;
  }
}
