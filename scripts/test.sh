#!/usr/bin/env bash
# `npm test` after the preflight: the whole suite in stages, stopping at the first failing one, with a timing summary
# at the end (also after a failure). Typecheck and lint run side by side: each is mostly one core.
set -uo pipefail
cd "$(dirname "$0")/.."

names=()
times=()
results=()
started=$(date +%s)

summary() {
  echo
  echo "npm test — stage timings"
  for i in "${!names[@]}"; do printf '  %-28s %5ss  %s\n' "${names[$i]}" "${times[$i]}" "${results[$i]}"; done
  printf '  %-28s %5ss\n' "total" "$(( $(date +%s) - started ))"
}

stage() {
  local name="$1"; shift
  local t0; t0=$(date +%s)
  echo
  echo "▶ $name"
  "$@"
  local rc=$?
  names+=("$name"); times+=("$(( $(date +%s) - t0 ))")
  if [ $rc -ne 0 ]; then
    results+=("FAILED")
    summary
    exit $rc
  fi
  results+=("ok")
}

static_checks() {
  npm run --silent typecheck > "${TMPDIR:-/tmp}/keyport-typecheck.log" 2>&1 &
  local tc=$!
  npm run --silent lint
  local lint=$?
  wait $tc
  local typecheck=$?
  cat "${TMPDIR:-/tmp}/keyport-typecheck.log"
  [ $typecheck -eq 0 ] && [ $lint -eq 0 ]
}

stage "typecheck + lint" static_checks
stage "unit" npm run --silent test:unit
stage "build" npm run --silent build
stage "integration" npm run --silent test:integration
stage "e2e" npm run --silent test:e2e
summary
