// GET /api/health — liveness: 200 { status: "ok" }, touches nothing
import { json } from "@/lib/http/respond";

export const dynamic = "force-dynamic";

export function GET() {
  return json({ status: "ok" });
}
