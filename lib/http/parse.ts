// Parse at the boundary: bodies, queries and params go through zod; failures become 400/413/422 problems.
import type { z } from "zod";
import { ApiError, type FieldError } from "./errors";

export const MAX_BODY_BYTES = 64 * 1024;

export function zodErrors(error: z.ZodError): FieldError[] {
  return error.issues.map((issue) => ({
    path: issue.path.length ? issue.path.map(String).join(".") : "(root)",
    message: issue.message,
  }));
}

export function validate<S extends z.ZodType>(schema: S, value: unknown, what = "Request body"): z.infer<S> {
  const result = schema.safeParse(value);
  if (!result.success) {
    const errors = zodErrors(result.error);
    throw new ApiError("validation_failed", `${what} failed validation: ${errors[0].path}: ${errors[0].message}`, {
      errors,
    });
  }
  return result.data;
}

/**
 * Reads at most maxBytes of the body as text (a lying Content-Length cannot get more through): 413 beyond. With
 * `strictUtf8`, a body that is not UTF-8 is refused (400 invalid_json) instead of having its bad bytes replaced.
 */
export async function readCappedText(request: Request, maxBytes = MAX_BODY_BYTES, { strictUtf8 = false }: { strictUtf8?: boolean } = {}): Promise<string> {
  const declared = Number(request.headers.get("content-length") ?? "0");
  if (declared > maxBytes) throw tooLarge(maxBytes);
  let text = "";
  if (request.body) {
    const reader = request.body.getReader();
    const decoder = new TextDecoder("utf-8", { fatal: strictUtf8 });
    const decode = (value?: Uint8Array) => {
      try {
        return value ? decoder.decode(value, { stream: true }) : decoder.decode();
      } catch {
        throw new ApiError("invalid_json", "The request body is not valid UTF-8.");
      }
    };
    let size = 0;
    for (;;) {
      // A body cut off (the client went away, or fell silent past the server's 60 s and was disconnected) is the
      // client's doing: 400, not a 500 counted against the key as a server error.
      const { done, value } = await reader.read().catch(() => {
        throw new ApiError("bad_request", "The request body ended before it was complete (the connection was closed or went silent).");
      });
      if (done) break;
      size += value.byteLength;
      if (size > maxBytes) {
        await reader.cancel().catch(() => {});
        throw tooLarge(maxBytes);
      }
      text += decode(value);
    }
    text += decode();
  }
  return text;
}

/** application/json, or a structured-syntax +json type, with any parameters (charset…). */
const JSON_MEDIA_TYPE = /^application\/(?:[\w.+-]+\+)?json\s*(?:;|$)/i;

/**
 * Reads at most maxBytes of the body and parses JSON, without judging what it holds: 415 unsupported_media_type when
 * a body is sent as anything else, 400 invalid_json when it is empty, not JSON, or nested too deep.
 */
export async function readJsonValue(request: Request, maxBytes = MAX_BODY_BYTES): Promise<unknown> {
  const text = await readCappedText(request, maxBytes);
  if (text.trim() === "") throw new ApiError("invalid_json", "The request body is empty; send a JSON object.");
  const type = request.headers.get("content-type")?.trim() ?? "";
  if (!JSON_MEDIA_TYPE.test(type)) {
    throw new ApiError("unsupported_media_type", `Send the body as Content-Type: application/json${type ? ` (not ${type.slice(0, 100)})` : ""}.`);
  }
  assertJsonDepth(text);
  try {
    return JSON.parse(text);
  } catch {
    throw new ApiError("invalid_json", "The request body is not valid JSON.");
  }
}

/** readJsonValue, and 422 for a NUL character anywhere in it (PostgreSQL text cannot hold one). */
export async function readJsonBody(request: Request, maxBytes = MAX_BODY_BYTES): Promise<unknown> {
  const value = await readJsonValue(request, maxBytes);
  assertNoNulBytes(value);
  return value;
}

/** Deepest nesting of arrays and objects a body may have (CONTRACT §17). */
export const MAX_JSON_DEPTH = 64;

/**
 * 400 invalid_json when arrays and objects nest deeper than maxDepth. Scans the text (outside strings) before
 * JSON.parse, so neither the parser nor any recursive walk over the value (NUL checks, zod) can run out of stack.
 */
export function assertJsonDepth(text: string, maxDepth = MAX_JSON_DEPTH): void {
  let depth = 0;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (inString) {
      if (c === 0x5c) i++; // backslash: the next character is escaped
      else if (c === 0x22) inString = false;
    } else if (c === 0x22) {
      inString = true;
    } else if (c === 0x7b || c === 0x5b) {
      if (++depth > maxDepth) throw new ApiError("invalid_json", `The request body nests arrays and objects deeper than ${maxDepth} levels.`);
    } else if (c === 0x7d || c === 0x5d) {
      depth--;
    }
  }
}

/**
 * PostgreSQL text cannot hold U+0000: refused here, once for every JSON body, as 422 naming the field, instead of a
 * database error (and a 500) later.
 */
export function assertNoNulBytes(value: unknown, path: string[] = []): void {
  if (typeof value === "string") {
    if (value.includes("\u0000")) {
      const at = path.length ? path.join(".") : "(root)";
      throw new ApiError("validation_failed", `Request body failed validation: ${at}: must not contain NUL characters`, {
        errors: [{ path: at, message: "Must not contain NUL characters" }],
      });
    }
  } else if (Array.isArray(value)) {
    value.forEach((item, i) => assertNoNulBytes(item, [...path, String(i)]));
  } else if (value && typeof value === "object") {
    for (const [key, item] of Object.entries(value)) {
      assertNoNulBytes(key, path);
      assertNoNulBytes(item, [...path, key]);
    }
  }
}

export async function parseBody<S extends z.ZodType>(request: Request, schema: S, maxBytes?: number): Promise<z.infer<S>> {
  return validate(schema, await readJsonBody(request, maxBytes));
}

export function parseQuery<S extends z.ZodType>(request: Request | URL, schema: S): z.infer<S> {
  const url = request instanceof URL ? request : new URL(request.url);
  // The server entry refuses these before routing; kept here for handlers reached any other way.
  for (const [name, value] of url.searchParams) {
    if (name.includes("\u0000") || value.includes("\u0000")) {
      throw new ApiError("invalid_request", `The query parameter ${JSON.stringify(name.replace(/\u0000/g, "").slice(0, 40))} contains a NUL character.`);
    }
  }
  return validate(schema, Object.fromEntries(url.searchParams), "Query string");
}

const tooLarge = (maxBytes: number) =>
  new ApiError("payload_too_large", `The request body is larger than ${Math.round(maxBytes / 1024)} KiB.`);

/** Like parseBody, for endpoints whose body is optional: a request without a body validates as `{}`. */
export async function parseOptionalBody<S extends z.ZodType>(request: Request, schema: S, maxBytes?: number): Promise<z.infer<S>> {
  if (!request.body || request.headers.get("content-length") === "0") return validate(schema, {});
  return validate(schema, await readJsonBody(request, maxBytes));
}
