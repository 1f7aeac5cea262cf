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

/** Where the vendor's "API Authentication" page signs in, for when `authUrl` is not given. */
export const ENGAGE_AUTH_URL = "https://customer.intelepeer.com";

export interface SignInEngageOptions extends Omit<ClientOptions, "baseUrl" | "headers"> {
  /** Default: the vendor's, `ENGAGE_AUTH_URL`. */
  authUrl?: string;
  username: string;
  password: string;
}

/** A refused sign-in: the status and the body (`{code, error}` for a 401). */
export class EngageSignInError extends Error {
  readonly status: number;
  readonly body: unknown;

  constructor(status: number, body: unknown) {
    super(`Engage sign-in failed with status ${status}`);
    this.name = "EngageSignInError";
    this.status = status;
    this.body = body;
  }
}

/**
 * Sign in (`POST /_rest/v4/authenticate` on `authUrl`) for a token, valid 24 hours, to give
 * `createEngageClient`; sign in again once it expires or a call answers 401. Throws an
 * `EngageSignInError` when refused.
 */
export async function signInEngage({
  authUrl = ENGAGE_AUTH_URL,
  username,
  password,
  ...options
}: SignInEngageOptions): Promise<string> {
  const client = createClient<paths>({ ...options, baseUrl: authUrl });
  const { data, error, response } = await client.POST("/_rest/v4/authenticate", {
    body: { username, password },
  });
  if (data === undefined) {
    throw new EngageSignInError(response.status, error);
  }
  return data.token;
}
