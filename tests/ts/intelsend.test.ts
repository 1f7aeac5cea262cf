// The IntelSend package, installed from its tarball, against the sandbox at SANDBOX_URL.
import assert from "node:assert/strict";
import { beforeEach, test } from "node:test";

import { createIntelSendClient, type IntelSendError } from "@campaign-contracts/intelsend-client";

const baseUrl = process.env.SANDBOX_URL ?? "http://127.0.0.1:8080";
const client = createIntelSendClient({
  baseUrl,
  sessionToken: "sandbox-session",
  userId: "sandbox-user",
});
const sms = { shortCode: "9498671145", templateId: "6708a567654ca1d854afa3bd", version: 1 };

beforeEach(async () => {
  const reset = await fetch(`${baseUrl}/_sandbox/reset?api=intelsend`, { method: "POST" });
  assert.equal(reset.status, 200);
});

async function create(name: string): Promise<void> {
  const created = await client.POST("/api/campaign", {
    body: { name, channel: ["sms"], settings: { sms }, contactListId: ["6889fa1e53d9e06f64c13d59"] },
  });
  assert.equal(created.data?.result, "success");
}

test("create, list with filters and pages, build, send, and a 409", async () => {
  for (const name of ["first", "second", "third"]) {
    await create(name);
  }
  const page = await client.GET("/api/campaign", {
    params: { query: { status: "DRAFT", channel: "sms", page: 2, limit: 2 } },
  });
  assert.ok(page.data);
  assert.deepEqual(page.data.result.map((campaign) => campaign.name), ["first"]);
  assert.deepEqual(page.data.meta, { count: 3, page: 2, limit: 2 });
  const none = await client.GET("/api/campaign", { params: { query: { channel: "email" } } });
  assert.equal(none.data?.meta.count, 0);

  const newest = await client.GET("/api/campaign", { params: { query: { limit: 1 } } });
  const id = newest.data?.result[0]?.campaignId;
  assert.ok(id);
  const path = { params: { path: { id } } };
  const early = await client.PUT("/api/campaign/{id}/send", path);
  assert.equal(early.response.status, 409);
  const built = await client.PUT("/api/campaign/{id}/build", path);
  assert.equal(built.data?.result, "success");
  const sent = await client.PUT("/api/campaign/{id}/send", path);
  assert.equal(sent.data?.response, "Successfully processed messages.");
  const again = await client.PUT("/api/campaign/{id}/send", path);
  assert.equal(again.response.status, 409);
  const error: IntelSendError | undefined = again.error;
  assert.equal(error?.result, "error");
});

test("a documented error is read as a typed body", async () => {
  const invalid = await client.POST("/api/campaign", {
    body: { name: "x", channel: ["email"], settings: { sms }, contactListId: [] },
  });
  assert.equal(invalid.response.status, 422);
  const error: IntelSendError | undefined = invalid.error;
  assert.equal(error?.result, "error");
  assert.match(error?.message ?? "", /email/);
});
