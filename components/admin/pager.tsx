// "Newer / older" links for admin lists paged by cursor; keeps the current filters in the URL.
import Link from "next/link";
import { buttonClasses } from "@/components/ui";

export function Pager({ basePath, params, nextCursor, hasPrevious, count }: { basePath: string; params: Record<string, string | undefined>; nextCursor: string | null; hasPrevious: boolean; count: number }) {
  const href = (cursor?: string) => {
    const search = new URLSearchParams();
    for (const [k, v] of Object.entries(params)) if (v && k !== "cursor") search.set(k, v);
    if (cursor) search.set("cursor", cursor);
    const qs = search.toString();
    return qs ? `${basePath}?${qs}` : basePath;
  };
  return (
    <div className="mt-4 flex items-center justify-between text-sm text-slate-500">
      <span>{count === 0 ? "No results" : `Showing ${count}`}</span>
      <div className="flex gap-2">
        {hasPrevious && (
          <Link href={href()} className={buttonClasses({ variant: "secondary", size: "sm" })}>
            First page
          </Link>
        )}
        {nextCursor && (
          <Link href={href(nextCursor)} className={buttonClasses({ variant: "secondary", size: "sm" })} rel="next">
            Next page →
          </Link>
        )}
      </div>
    </div>
  );
}
