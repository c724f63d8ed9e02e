import { describe, expect, it } from "vitest";
import { networkOf } from "./sign-in-throttle";

describe("networkOf", () => {
  it("keeps IPv4 addresses as they are", () => {
    expect(networkOf("203.0.113.7")).toBe("203.0.113.7");
  });
  it("groups IPv6 addresses by /64, whatever their spelling", () => {
    expect(networkOf("2001:db8:1:2::1")).toBe("2001:db8:1:2::/64");
    expect(networkOf("2001:0db8:0001:0002:ffff:0:0:beef")).toBe("2001:db8:1:2::/64");
    expect(networkOf("2001:db8::1")).toBe("2001:db8:0:0::/64");
    expect(networkOf("::1")).toBe("0:0:0:0::/64");
    expect(networkOf("2001:db8:1:3::1")).not.toBe(networkOf("2001:db8:1:2::1"));
  });
});
