/**
 * A typed client of the IntelSend campaign API: openapi-fetch over the types that
 * openapi-typescript made from openapi/intelsend.yaml (`./schema.js`). Every path, parameter
 * and answer of `client.GET("/api/campaign")` and its siblings is typed from the document.
 */
import createClient, { type Client, type ClientOptions } from "openapi-fetch";

import type { components, paths } from "./schema.js";

export type { components, operations, paths } from "./schema.js";

/** The vendor's own server, for when `baseUrl` is not given. */
export const INTELSEND_BASE_URL = "https://beta.intelsend.com";
/** The cookie that carries the session token. */
export const SESSION_COOKIE = "__Secure-next-auth.session-token";

export interface IntelSendClientOptions extends Omit<ClientOptions, "baseUrl" | "headers"> {
  /** Default: the vendor's, `INTELSEND_BASE_URL`. */
  baseUrl?: string;
  /** The NextAuth session token, sent as the `__Secure-next-auth.session-token` cookie. */
  sessionToken: string;
  /** The user id, sent as `x-user-id`. */
  userId: string;
}

/** The documented error body, `{result: "error", message}`. */
export type IntelSendError = components["schemas"]["Error"];

/**
 * An openapi-fetch client that signs every request as IntelSend wants: the session cookie as a
 * `Cookie` header (Node's fetch sends it; a browser sends its own cookies instead) and the user
 * id as `x-user-id`. Every operation accepts both.
 */
export function createIntelSendClient({
  baseUrl = INTELSEND_BASE_URL,
  sessionToken,
  userId,
  ...options
}: IntelSendClientOptions): Client<paths> {
  return createClient<paths>({
    ...options,
    baseUrl,
    headers: { Cookie: `${SESSION_COOKIE}=${sessionToken}`, "x-user-id": userId },
  });
}
