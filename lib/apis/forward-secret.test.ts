// The signature the gateway sends upstream, checked by the verification snippets the README publishes (run for real).
import { execFileSync, spawnSync } from "node:child_process";
import { copyFileSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { describe, expect, it, onTestFinished } from "vitest";
import { forwardSecretKey, generateForwardSecret, signForward } from "./forward-secret";

const dir = path.resolve(__dirname, "../../docs/examples/verify-signature");
const hasPython = spawnSync("python3", ["--version"]).status === 0;
const hasGo = spawnSync("go", ["version"]).status === 0;

/** Builds the Go snippet with a small harness (tests/support/go-verify) into a binary that takes the JSON argument. */
function buildGoSnippet(): { bin: string; remove: () => void } {
  const work = mkdtempSync(path.join(tmpdir(), "keyport-go-verify-"));
  mkdirSync(path.join(work, "keyport"));
  copyFileSync(path.join(dir, "verify.go"), path.join(work, "keyport", "verify.go"));
  copyFileSync(path.resolve(__dirname, "../../tests/support/go-verify/main.go"), path.join(work, "main.go"));
  writeFileSync(path.join(work, "go.mod"), "module verifyrun\n\ngo 1.19\n");
  const bin = path.join(work, "verify");
  execFileSync("go", ["build", "-o", bin, "."], { cwd: work });
  return { bin, remove: () => rmSync(work, { recursive: true, force: true }) };
}

type Runner = { name: string; prepare: () => { command: string[]; remove?: () => void } };
const runners: Runner[] = [
  { name: "node", prepare: () => ({ command: ["node", path.join(dir, "verify.mjs")] }) },
  ...(hasPython ? [{ name: "python3", prepare: () => ({ command: ["python3", path.join(dir, "verify.py")] }) }] : []),
  ...(hasGo
    ? [
        {
          name: "go",
          prepare: () => {
            const { bin, remove } = buildGoSnippet();
            return { command: [bin], remove };
          },
        },
      ]
    : []),
];

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

  it.each(runners.map((r) => [r.name, r] as const))("the published %s snippet accepts a real signature and refuses a tampered one", { timeout: 120_000 }, (_name, runner) => {
    const secret = generateForwardSecret();
    const other = generateForwardSecret();
    const { command, remove } = runner.prepare();
    onTestFinished(() => remove?.());
    const run = (args: object) => execFileSync(command[0], [...command.slice(1), JSON.stringify(args)], { encoding: "utf8" }).trim();
    const good = signed([other, secret]);
    expect(run({ ...good, secret })).toBe("valid");
    expect(run({ ...good, path: "/base/orders/8?expand=items", secret })).toBe("invalid");
    // `other` with its first character changed (to one it is not: an "A" left as "A" was the same secret).
    const altered = `whsec_${other[6] === "A" ? "B" : "A"}${other.slice(7)}`;
    expect(run({ ...good, secret: altered })).toBe("invalid");
    expect(run({ ...signed([other]), secret })).toBe("invalid");
  });
});
