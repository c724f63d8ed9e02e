#!/usr/bin/env bash
# Run first by `npm test` (and by .ci/run before `npm ci`): the suite needs PostgreSQL and Redis on this machine and a
# Chromium for Playwright. Starts them when they are installed but stopped, installs Debian's Chromium headless shell
# when it is missing and we are root; otherwise prints ONE line saying what is missing and how to get it, and exits 1
# before anything runs (a half-run suite failing on connection errors says much less).
# The headless shell is Debian's build of the same Chromium without the desktop browser around it (what Playwright
# itself runs headless tests in); the e2e stage took a fifth less CPU in it. Without it, the full /usr/bin/chromium
# does (playwright.config.ts picks whichever is there; CHROMIUM_PATH overrides both).
set -uo pipefail

PG_URL="${TEST_ADMIN_DATABASE_URL:-postgres://postgres@127.0.0.1:5432/postgres}"
REDIS_URL_="${TEST_REDIS_URL:-redis://127.0.0.1:6379}"
hostport() { # postgres://user@host:port/db → "host port"
  local rest="${1#*://}"; rest="${rest#*@}"; rest="${rest%%/*}"
  local host="${rest%%:*}" port="${rest##*:}"
  [ "$port" = "$rest" ] && port="$2"
  echo "$host $port"
}
read -r PG_HOST PG_PORT <<<"$(hostport "$PG_URL" 5432)"
read -r REDIS_HOST REDIS_PORT <<<"$(hostport "$REDIS_URL_" 6379)"
HEADLESS_SHELL=/usr/bin/chromium-headless-shell
FULL_CHROMIUM=/usr/bin/chromium

listening() { (exec 3<>"/dev/tcp/$1/$2") 2>/dev/null; }
wait_for() { for _ in $(seq 1 30); do listening "$1" "$2" && return 0; sleep 1; done; return 1; }
local_host() { [ "$1" = "127.0.0.1" ] || [ "$1" = "localhost" ] || [ "$1" = "::1" ]; }

missing=()

if ! listening "$PG_HOST" "$PG_PORT"; then
  if local_host "$PG_HOST" && command -v pg_ctlcluster >/dev/null && [ -d /etc/postgresql ] && [ -n "$(ls /etc/postgresql 2>/dev/null)" ]; then
    echo "preflight: starting PostgreSQL"
    pg_ctlcluster --skip-systemctl-redirect "$(ls /etc/postgresql | head -n1)" main start >/dev/null 2>&1
    wait_for "$PG_HOST" "$PG_PORT" || missing+=("PostgreSQL on $PG_HOST:$PG_PORT (installed but would not start: see pg_lsclusters)")
  else
    missing+=("PostgreSQL on $PG_HOST:$PG_PORT (apt-get install postgresql, or point TEST_ADMIN_DATABASE_URL at one)")
  fi
fi

if ! listening "$REDIS_HOST" "$REDIS_PORT"; then
  if local_host "$REDIS_HOST" && command -v redis-server >/dev/null; then
    echo "preflight: starting Redis"
    mkdir -p /tmp/keyport-redis
    redis-server --daemonize yes --bind 127.0.0.1 -::1 --port "$REDIS_PORT" --save "" --appendonly no \
      --dir /tmp/keyport-redis --logfile /tmp/keyport-redis/redis.log >/dev/null 2>&1
    wait_for "$REDIS_HOST" "$REDIS_PORT" || missing+=("Redis on $REDIS_HOST:$REDIS_PORT (installed but would not start: see /tmp/keyport-redis/redis.log)")
  else
    missing+=("Redis on $REDIS_HOST:$REDIS_PORT (apt-get install redis-server, or point TEST_REDIS_URL at one)")
  fi
fi

if [ -n "${CHROMIUM_PATH:-}" ]; then
  [ -x "$CHROMIUM_PATH" ] || missing+=("Chromium at $CHROMIUM_PATH (CHROMIUM_PATH names no executable; unset it to use apt-get install chromium-headless-shell)")
elif [ ! -x "$HEADLESS_SHELL" ]; then
  if [ "$(id -u)" = "0" ] && command -v apt-get >/dev/null; then
    echo "preflight: installing Chromium's headless shell from Debian"
    export DEBIAN_FRONTEND=noninteractive
    { apt-get update -qq && apt-get install -y -qq chromium-headless-shell; } >/dev/null 2>&1
  fi
  [ -x "$HEADLESS_SHELL" ] || [ -x "$FULL_CHROMIUM" ] ||
    missing+=("Chromium (apt-get install chromium-headless-shell, or chromium, or set CHROMIUM_PATH)")
fi

if [ ${#missing[@]} -gt 0 ]; then
  joined="$(printf '%s; ' "${missing[@]}")"
  echo "npm test cannot run: missing ${joined%; }" >&2
  exit 1
fi
