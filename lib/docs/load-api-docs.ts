// For pages (no db in app/): one API's docs on the app's database, once per request (metadata and page share it).
import "server-only";
import { cache } from "react";
import { getDb } from "../db/client";
import { getApiDocs } from "./api-docs";

export const loadApiDocs = cache(async (slug: string) => getApiDocs(await getDb(), slug));
