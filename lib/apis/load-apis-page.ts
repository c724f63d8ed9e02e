// For the developers' APIs page (no db in app/): every API, every tier's limits, and each API's recent health.
import "server-only";
import { getDb } from "../db/client";
import { listTiers } from "../admin/list-tiers";
import { getApiHealth } from "./api-health";
import { listApis } from "./list-apis";

export async function loadApisPage() {
  const db = await getDb();
  const [apis, tiers, health] = await Promise.all([listApis(db), listTiers(db), getApiHealth(db)]);
  return { apis, tiers, health };
}
