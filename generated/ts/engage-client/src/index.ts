/**
 * A typed client of IntelePeer Engage's campaign API: openapi-fetch over the types that
 * openapi-typescript made from openapi/engage.yaml (`./schema.js`). Every path, parameter and
 * answer of `client.GET("/_rest/v2/campaigns")` and its siblings is typed from the document.
 */
import createClient, { type Client, type ClientOptions } from "openapi-fetch";

import type { components, paths } from "./schema.js";

export type { components, operations, paths } from "./schema.js";

/** The vendor's own server, for when `baseUrl` is not given. */
export const ENGAGE_BASE_URL = "https://engage.intelepeer.com";

export interface EngageClientOptions extends Omit<ClientOptions, "baseUrl" | "headers"> {
  /** Default: the vendor's, `ENGAGE_BASE_URL`. */
  baseUrl?: string;
  /** The Engage token, sent raw in `Authorization` (no `Bearer ` prefix). */
  token: string;
}

/** The documented error body, `{message, status}`. */
export type EngageError = components["schemas"]["Error"];

/** An openapi-fetch client that sends the token the way Engage wants it. */
export function createEngageClient({
  baseUrl = ENGAGE_BASE_URL,
  token,
  ...options
}: EngageClientOptions): Client<paths> {
  return createClient<paths>({ ...options, baseUrl, headers: { Authorization: token } });
}
