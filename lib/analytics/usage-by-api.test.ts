import { describe, expect, it } from "vitest";
import { usageByApi } from "./get-usage-report";

describe("usageByApi", () => {
  it("sums endpoint rows by API (catalog, registered, verify), most requests first", () => {
    const row = (endpoint: string, total: number, serverErrors = 0) => ({ endpoint, total, clientErrors: 1, serverErrors, rateLimited: 2 });
    const out = usageByApi([row("GET /api/v1/products", 5), row("GET /gw/orders/orders/{id}", 10, 3), row("POST /gw/orders/orders", 4), row("verify orders", 1), row("GET /gw/maps/tiles", 2)]);
    expect(out).toEqual([
      { api: "orders", total: 15, errors: 6, rateLimited: 6, serverErrors: 3, routes: 3 },
      { api: "catalog", total: 5, errors: 1, rateLimited: 2, serverErrors: 0, routes: 1 },
      { api: "maps", total: 2, errors: 1, rateLimited: 2, serverErrors: 0, routes: 1 },
    ]);
    expect(usageByApi([])).toEqual([]);
  });
});
