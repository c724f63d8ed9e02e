import type { Metadata } from "next";
import { PageHeader } from "@/components/ui";
import { TokensManager } from "@/components/portal/tokens-manager";
import { listMyTokens } from "@/lib/tokens/list-my-tokens";

export const metadata: Metadata = { title: "Management tokens" };

export default async function TokensPage() {
  const tokens = await listMyTokens();
  return (
    <>
      <PageHeader
        title="Management tokens"
        description="Personal tokens for scripts and CI. Send one as Authorization: Bearer <token> to /api/manage/v1."
      />
      <TokensManager tokens={tokens} />
    </>
  );
}
