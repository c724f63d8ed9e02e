// Records every platform's optional native binaries in package-lock.json.
//
// Why: with some registry setups npm writes only this machine's optional platform packages into the lockfile
// (e.g. @next/swc-linux-x64-gnu but not @next/swc-darwin-arm64), and `npm ci` then refuses the lockfile as
// "out of sync". This adds a version-only entry, with the os/cpu/libc that the package name encodes, for each
// package `npm ci` reports missing; npm skips those entries on other platforms without fetching them.
// Run after `npm install` changes dependencies:  node scripts/lock-platforms.mjs
import { spawnSync } from "node:child_process";
import { readFileSync, writeFileSync } from "node:fs";

const OSES = ["darwin", "win32", "linux", "android", "freebsd", "openbsd", "netbsd", "sunos", "aix"];
const CPUS = ["arm64", "x64", "ia32", "arm", "ppc64", "riscv64", "s390x", "loong64", "wasm32", "mips64el"];

function platformOf(name) {
  const base = name.split("/").pop();
  const os = OSES.find((o) => `-${base}-`.includes(`-${o}-`));
  const cpu = CPUS.find((c) => new RegExp(`-${c}(-|$)`).test(base));
  const libc = base.endsWith("-musl") ? "musl" : os === "linux" && base.endsWith("-gnu") ? "glibc" : undefined;
  return { os, cpu, libc };
}

const check = spawnSync("npm", ["ci", "--dry-run", "--ignore-scripts", "--no-audit", "--no-fund"], { encoding: "utf8" });
const missing = [...new Set([...`${check.stdout}${check.stderr}`.matchAll(/Missing: (\S+?)@\S* from lock file/g)].map((m) => m[1]))];
if (missing.length === 0) {
  console.log("package-lock.json already lists every platform package");
  process.exit(0);
}

const lock = JSON.parse(readFileSync("package-lock.json", "utf8"));
const packages = lock.packages;
for (const name of missing) {
  const parentPath = Object.keys(packages).find((p) => packages[p].optionalDependencies?.[name]);
  if (!parentPath) {
    console.error(`no package declares ${name} as optional; fix the lockfile by hand`);
    process.exit(1);
  }
  const parent = packages[parentPath];
  const { os, cpu, libc } = platformOf(name);
  const entry = { version: parent.optionalDependencies[name] };
  if (cpu) entry.cpu = [cpu];
  if (libc) entry.libc = [libc];
  if (os) entry.os = [os];
  if (parent.dev) entry.dev = true;
  entry.optional = true;
  const top = `node_modules/${name}`;
  packages[top in packages ? `${parentPath}/node_modules/${name}` : top] = entry;
}
lock.packages = Object.fromEntries(Object.entries(packages).sort(([a], [b]) => (a === "" ? -1 : b === "" ? 1 : a < b ? -1 : 1)));
writeFileSync("package-lock.json", `${JSON.stringify(lock, null, 2)}\n`);
console.log(`recorded ${missing.length} platform packages in package-lock.json`);
