// The project's activity: who created, changed, rotated or revoked what, and from where — newest first.
import type { Metadata } from "next";
import { ButtonLink, Card, EmptyState, Table, TBody, TD, TH, THead, TR } from "@/components/ui";
import { When } from "@/components/keys/key-display";
import { formatUnit } from "@/components/charts";
import { listMyProjectActivity, type ActivityEvent } from "@/lib/audit/list-my-project-activity";

export const metadata: Metadata = { title: "Activity" };

const ACTION_LABELS: Record<string, string> = {
  "project.create": "Created the project",
  "project.update": "Renamed the project",
  "project.delete": "Deleted the project",
  "project.default_tier_change": "Changed the project's default tier",
  "project.tier_change": "Changed the project's pool tier",
  "key.create": "Created key",
  "key.update": "Edited key",
  "key.rotate": "Rotated key",
  "key.end_grace": "Ended the rotation grace of key",
  "key.revoke": "Revoked key",
  "key.disable": "Disabled key",
  "key.enable": "Enabled key",
  "key.tier_change": "Changed the tier of key",
  "key.spike_flag": "Traffic spike flagged on key",
  "key.spike_throttle": "Traffic spike throttled key",
  "key.spike_release": "Throttle released on key",
};

function describe(event: ActivityEvent): string {
  const m = event.metadata ?? {};
  const parts: string[] = [];
  if (typeof m.name === "string" && event.action !== "project.create") parts.push(`“${m.name}”`);
  if (Array.isArray(m.changed)) parts.push(`(${(m.changed as string[]).join(", ")})`);
  if (typeof m.gracePeriodSeconds === "number") {
    parts.push(m.gracePeriodSeconds === 0 ? "(old secret stopped at once)" : `(old secret kept for ${formatGrace(m.gracePeriodSeconds)})`);
  }
  if (typeof m.reason === "string") parts.push(`— ${m.reason}`);
  return parts.join(" ");
}

function formatGrace(seconds: number): string {
  if (seconds % 86_400 === 0) return formatUnit(seconds / 86_400, "day");
  if (seconds % 3_600 === 0) return formatUnit(seconds / 3_600, "hour");
  return formatUnit(Math.round(seconds / 60), "minute");
}

export default async function ProjectActivityPage({
  params,
  searchParams,
}: {
  params: Promise<{ projectId: string }>;
  searchParams: Promise<{ before?: string }>;
}) {
  const { projectId } = await params;
  const { before } = await searchParams;
  const cursor = before && /^\d+$/.test(before) ? Number(before) : null;
  const { events, nextBefore } = await listMyProjectActivity({ projectId, before: cursor });

  if (events.length === 0) {
    return <EmptyState title="No activity yet" text="Key creations, edits, rotations and revocations in this project will appear here." />;
  }
  return (
    <Card padded={false} title="Activity" description="Every change to this project and its keys, newest first. Times are UTC.">
      <Table className="min-w-[760px] rounded-none border-0 shadow-none">
        <THead>
          <TR>
            <TH className="w-[20%]">When</TH>
            <TH className="w-[22%]">Who</TH>
            <TH>What</TH>
            <TH className="w-[14%]">IP</TH>
          </TR>
        </THead>
        <TBody>
          {events.map((event) => (
            <TR key={event.id}>
              <TD className="text-xs">
                <When iso={event.at.toISOString()} />
              </TD>
              <TD title={event.actorEmail ?? "Keyport"}>
                {event.actorEmail ?? <span className="text-slate-500">Keyport (automatic)</span>}
                {/* The acting member's team role at the time (site admins are already shown as "Keyport admin"). */}
                {event.actorEmail && event.actorRole && event.actorRole !== "site_admin" && <span className="ml-1 text-xs text-slate-500">({event.actorRole})</span>}
              </TD>
              <TD truncate={false}>
                <span className="font-medium text-slate-800">{ACTION_LABELS[event.action] ?? event.action}</span>{" "}
                <span className="text-slate-600">{describe(event)}</span>
                {event.targetType === "key" && event.targetId && (
                  <code className="ml-2 font-mono text-xs text-slate-500">{event.targetId}</code>
                )}
              </TD>
              <TD className="font-mono text-xs">{event.ip ?? "—"}</TD>
            </TR>
          ))}
        </TBody>
      </Table>
      {nextBefore && (
        <div className="flex justify-center border-t border-slate-100 px-5 py-3">
          <ButtonLink href={`/projects/${projectId}/activity?before=${nextBefore}`} variant="secondary" size="sm">
            Older events
          </ButtonLink>
        </div>
      )}
    </Card>
  );
}
