// POST /api/report-leak — anyone reports a key they found { secret, url? }; always 202 (no oracle), limited per IP
import { route } from "@/lib/http/route";
import { readJsonValue } from "@/lib/http/parse";
import { json } from "@/lib/http/respond";
import { receiveLeakReport } from "@/lib/leaks/report-leak";
import { otherMethods } from "@/lib/http/method-not-allowed";

export const POST = route(async (request, { ip }) => {
  await receiveLeakReport({ ip, input: await readJsonValue(request, 16 * 1024) });
  return json({ received: true }, { status: 202 });
});

export const { GET, PUT, PATCH, DELETE, OPTIONS } = otherMethods(["POST"]);
