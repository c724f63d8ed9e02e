// GET /api/ready — readiness: database and limiter reachable → 200, else 503 naming which
import { ApiError } from "@/lib/http/errors";
import { json } from "@/lib/http/respond";
import { route } from "@/lib/http/route";
import { checkReadiness } from "@/lib/ops/readiness";
import { otherMethods } from "@/lib/http/method-not-allowed";

export const dynamic = "force-dynamic";

export const GET = route(async () => {
  const { ready, checks, warnings } = await checkReadiness();
  if (ready) return json({ status: "ready", checks, ...(warnings.length > 0 ? { warnings } : {}) });
  if (checks.shutdown === "draining") throw new ApiError("not_ready", "Not ready: shutting down.", { extra: { checks } });
  const down = Object.keys(checks).filter((name) => checks[name] !== "ok");
  throw new ApiError("not_ready", `Not ready: ${down.join(", ")} unavailable.`, { extra: { checks } });
});

export const { POST, PUT, PATCH, DELETE, OPTIONS } = otherMethods(["GET"]);
