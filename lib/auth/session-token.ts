// Session and mailed-link tokens: 32 random bytes in the cookie or link, only their SHA-256 in the database.
import { createHash, randomBytes } from "node:crypto";

export const newOpaqueToken = () => randomBytes(32).toString("base64url");
export const hashToken = (token: string) => createHash("sha256").update(token).digest("hex");
