// The signature the gateway sends upstream, checked by the verification snippets the README publishes (run for real).
import { execFileSync, spawnSync } from "node:child_process";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { forwardSecretKey, generateForwardSecret, signForward } from "./forward-secret";

const dir = path.resolve(__dirname, "../../docs/examples/verify-signature");
const hasPython = spawnSync("python3", ["--version"]).status === 0;

function signed(secrets: string[]) {
  const timestamp = Math.floor(Date.now() / 1000);
  const input = { requestId: "req_123", timestamp, keyId: "key_abc", method: "GET", pathWithQuery: "/base/orders/7?expand=items" };
  const headers = { "x-request-id": input.requestId, "keyport-timestamp": String(timestamp), "keyport-key-id": input.keyId, "keyport-signature": signForward(secrets.map(forwardSecretKey), input) };
  return { headers, method: "GET", path: input.pathWithQuery };
}

describe("forward signatures", () => {
  it("signs one secret as v1,<base64>, two during a rotation", () => {
    const [a, b] = [generateForwardSecret(), generateForwardSecret()];
    expect(a).toMatch(/^whsec_[A-Za-z0-9+/]{43}=$/);
    expect(signed([a]).headers["keyport-signature"]).toMatch(/^v1,[A-Za-z0-9+/]{43}=$/);
    expect(signed([a, b]).headers["keyport-signature"].split(" ")).toHaveLength(2);
  });

  it.each([["node", "verify.mjs"], ...(hasPython ? [["python3", "verify.py"]] : [])])("the published %s snippet accepts a real signature and refuses a tampered one", (bin, file) => {
    const secret = generateForwardSecret();
    const other = generateForwardSecret();
    const run = (args: object) => execFileSync(bin, [path.join(dir, file), JSON.stringify(args)], { encoding: "utf8" }).trim();
    const good = signed([other, secret]);
    expect(run({ ...good, secret })).toBe("valid");
    expect(run({ ...good, path: "/base/orders/8?expand=items", secret })).toBe("invalid");
    expect(run({ ...good, secret: other.replace(/^whsec_./, "whsec_A") })).toBe("invalid");
    expect(run({ ...signed([other]), secret })).toBe("invalid");
  });
});
