// A caller written against today's IntelSend document: it reads each listed campaign's name.
// tests/ts/test_typescript_clients.py type-checks it against a document whose Campaign.name is
// no longer required (a breaking change), where it must fail to compile.
import type { components } from "@campaign-contracts/intelsend-client";

type CampaignPage = components["schemas"]["CampaignPage"];

export function campaignNames(page: CampaignPage): string[] {
  return page.result.map((campaign) => campaign.name);
}
