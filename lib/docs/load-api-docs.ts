// For pages (no db in app/): one API's docs on the app's database.
import "server-only";
import { getDb } from "../db/client";
import { getApiDocs } from "./api-docs";

export const loadApiDocs = async (slug: string) => getApiDocs(await getDb(), slug);
