// An HTTP status as a coloured pill: green for success, amber for rate limits, red for other errors.
import { Badge, type BadgeTone } from "@/components/ui";

const tone = (status: number): BadgeTone => (status === 429 ? "amber" : status >= 400 ? "red" : "green");

export function StatusBadge({ status }: { status: number }) {
  return <Badge tone={tone(status)}>{status}</Badge>;
}
