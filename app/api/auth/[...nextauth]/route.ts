// GET, POST /api/auth/* — Auth.js endpoints (csrf, session, credentials callback, sign-out)
import { handlers } from "@/lib/auth/auth";
import { otherMethods } from "@/lib/http/method-not-allowed";

export const { GET, POST } = handlers;

export const { PUT, PATCH, DELETE, OPTIONS } = otherMethods(["GET", "POST"]);
