import type { Metadata } from "next";
import { PageHeader } from "@/components/ui";
import { TokensManager } from "@/components/portal/tokens-manager";
import { requireUser } from "@/lib/auth/current-user";
import { getDb } from "@/lib/db/client";
import { listTokens } from "@/lib/tokens/list-tokens";

export const metadata: Metadata = { title: "Management tokens" };

export default async function TokensPage() {
  const user = await requireUser();
  const tokens = await listTokens(await getDb(), { userId: user.id });
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
