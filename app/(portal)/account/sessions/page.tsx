// Where the account is signed in: device, IP, last seen; sign out one session or all others.
import type { Metadata } from "next";
import Link from "next/link";
import { Card, PageHeader } from "@/components/ui";
import { SessionsList } from "@/components/account/sessions-list";
import { listMySessions } from "@/lib/auth/list-my-sessions";

export const metadata: Metadata = { title: "Sessions" };

export default async function SessionsPage() {
  const sessions = await listMySessions();
  return (
    <div className="space-y-6">
      <PageHeader
        title="Sessions"
        description={
          <>
            Every browser signed in to your account. Sign out any you do not recognise, then{" "}
            <Link href="/account" className="font-medium text-brand-600 hover:text-brand-700">
              change your password
            </Link>
            .
          </>
        }
      />
      <Card>
        <SessionsList sessions={sessions} />
      </Card>
    </div>
  );
}
