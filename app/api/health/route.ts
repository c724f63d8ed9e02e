// GET /api/health — liveness: 200 { status: "ok" }, touches nothing
import { json } from "@/lib/http/respond";
import { otherMethods } from "@/lib/http/method-not-allowed";

export const dynamic = "force-dynamic";

export function GET() {
  return json({ status: "ok" });
}

export const { POST, PUT, PATCH, DELETE, OPTIONS } = otherMethods(["GET"]);
