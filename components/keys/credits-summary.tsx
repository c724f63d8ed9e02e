// How credits read on a page: "1,234 credits left · refills to 5,000 every UTC day", or "No credits (unlimited)".
import type { CreditsJson } from "@/lib/credits/credits-json";

export type Credits = CreditsJson;

export function creditsSummary(credits: Credits): string {
  if (!credits) return "No credits set";
  const left = `${credits.remaining.toLocaleString("en-US")} credit${credits.remaining === 1 ? "" : "s"} left`;
  if (!credits.refill) return `${left} · no refill`;
  return `${left} · refills to ${credits.refill.amount.toLocaleString("en-US")} every ${credits.refill.interval === "day" ? "UTC day" : "month"}`;
}

/** A small read-only line for developers (key page, project page). */
export function CreditsLine({ credits, owner }: { credits: Credits; owner: "key" | "project" }) {
  if (!credits) return null;
  return (
    <p className="text-sm text-slate-700" data-testid={`${owner}-credits`}>
      <span className="font-medium text-slate-900">Credits: </span>
      <span className="tabular-nums">{creditsSummary(credits)}</span>
      {credits.remaining === 0 && <span className="ml-2 text-red-700">Requests are refused with 429 credits_exhausted.</span>}
    </p>
  );
}
