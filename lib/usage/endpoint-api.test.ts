import { describe, expect, it } from "vitest";
import { apiOfEndpoint } from "./endpoint-api";

describe("apiOfEndpoint", () => {
  it("names the registered API of a gateway route, and of a verify call without a route", () => {
    expect(apiOfEndpoint("GET /gw/orders/orders/{id}")).toBe("orders");
    expect(apiOfEndpoint("POST /gw/bench")).toBe("bench");
    expect(apiOfEndpoint("verify weather-v2")).toBe("weather-v2");
  });

  it("counts the sample API and anything unrecognised as the catalog", () => {
    expect(apiOfEndpoint("GET /api/v1/products/{sku}")).toBe("catalog");
    expect(apiOfEndpoint("GET /api/v1/ping")).toBe("catalog");
    expect(apiOfEndpoint("GET /gwx/orders")).toBe("catalog");
    expect(apiOfEndpoint("GET /gw/Orders/x")).toBe("catalog");
  });
});
