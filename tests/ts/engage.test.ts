// The Engage package, installed from its tarball, against the sandbox at SANDBOX_URL.
import assert from "node:assert/strict";
import { beforeEach, test } from "node:test";

import {
  createEngageClient,
  EngageSignInError,
  type EngageError,
  signInEngage,
} from "@campaign-contracts/engage-client";

const baseUrl = process.env.SANDBOX_URL ?? "http://127.0.0.1:8080";
const client = createEngageClient({ baseUrl, token: "sandbox-token" });

beforeEach(async () => {
  const reset = await fetch(`${baseUrl}/_sandbox/reset?api=engage`, { method: "POST" });
  assert.equal(reset.status, 200);
});

test("create, list, get, update, publish, run, delete", async () => {
  const created = await client.POST("/_rest/v2/campaigns", {
    body: { campaignName: "Spring promo", flowId: "61a9a3ecf6b8387f078d52a1" },
  });
  assert.equal(created.response.status, 201);
  assert.ok(created.data);
  const id: string = created.data._id;
  assert.equal(created.data.active, 0);

  const listed = await client.GET("/_rest/v2/campaigns");
  assert.ok(listed.data);
  const campaigns = Array.isArray(listed.data) ? listed.data : [listed.data];
  assert.deepEqual(campaigns.map((campaign) => campaign._id), [id]);

  const byName = await client.GET("/_rest/v2/campaigns/", { params: { query: { name: "Spring" } } });
  assert.equal(byName.data?._id, id);

  const updated = await client.PUT("/_rest/v2/campaigns/{id}", {
    params: { path: { id } },
    body: {
      campaignName: "Spring promo (SMS)",
      flowId: "5d24c0e64886e81bb4cbf069",
      callerIdentification: "+13122735567",
    },
  });
  assert.equal(updated.data?.campaignId, id);
  assert.equal(updated.data?.runNow, "false");

  const action = { params: { path: { id } } } as const;
  const draftRun = await client.POST("/_rest/v2/campaigns/{id}/action", {
    ...action,
    body: { action: "run" },
  });
  assert.equal(draftRun.response.status, 500);
  assert.equal(
    draftRun.error?.message,
    "Something went wrong when trying to run the campaign",
  );
  const published = await client.POST("/_rest/v2/campaigns/{id}/action", {
    ...action,
    body: { action: "publish" },
  });
  assert.equal(published.data, true);
  const ran = await client.POST("/_rest/v2/campaigns/{id}/action", {
    ...action,
    body: { action: "run" },
  });
  assert.equal(ran.data, true);

  const deleted = await client.DELETE("/_rest/v2/campaigns/{id}", action);
  assert.equal(deleted.response.status, 202);
  const gone = await client.GET("/_rest/v2/campaigns/", { params: { query: { id } } });
  assert.equal(gone.response.status, 404);
  const error: EngageError | undefined = gone.error;
  assert.equal(error?.status, 404);
});

test("the token goes raw: a Bearer prefix is a typed 401 body", async () => {
  const bearer = createEngageClient({ baseUrl, token: "Bearer sandbox-token" });
  const refused = await bearer.GET("/_rest/v2/campaigns");
  assert.equal(refused.response.status, 401);
  assert.equal(refused.error?.status, 401);
  assert.match(refused.error?.message ?? "", /Bearer/);
});

test("signInEngage gets a token that createEngageClient sends", async () => {
  const token = await signInEngage({
    authUrl: baseUrl,
    username: "sandbox",
    password: "sandbox-password",
  });
  assert.notEqual(token, "sandbox-token");
  const signedIn = createEngageClient({ baseUrl, token });
  const listed = await signedIn.GET("/_rest/v2/campaigns");
  assert.equal(listed.response.status, 200);
});

test("a refused sign-in throws with the status and the body", async () => {
  await assert.rejects(
    signInEngage({ authUrl: baseUrl, username: "sandbox", password: "wrong" }),
    (error: unknown) => {
      assert.ok(error instanceof EngageSignInError);
      assert.equal(error.status, 401);
      assert.deepEqual(error.body, { code: 401, error: "Unauthorized" });
      return true;
    },
  );
});
