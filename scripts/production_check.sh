#!/usr/bin/env bash
# CI's check of the production start (README, « Production »): on a throwaway PostgreSQL
# cluster, with production settings, run scripts/production_start.sh (migrate, collectstatic,
# gunicorn --preload, the task worker, the outbox sweeper), set up the demo's members, check that
# the main pages and a hashed static file answer 200, then stop everything, also on failure.
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$PWD
PYTHON=${PYTHON:-python3}
BIN=$ROOT/.venv/bin
PGDIR=$ROOT/var/pg-production
WORK=$(mktemp -d)
START_PID=""

cleanup() {
  status=$?
  trap - EXIT INT TERM
  if [ -n "$START_PID" ]; then
    kill -TERM -- "-$START_PID" 2>/dev/null || true
    for _ in $(seq 1 50); do kill -0 -- "-$START_PID" 2>/dev/null || break; sleep 0.2; done
    kill -KILL -- "-$START_PID" 2>/dev/null || true
  fi
  "$PYTHON" scripts/pgcluster.py stop "$PGDIR" >/dev/null 2>&1 || true
  if [ "$status" != 0 ] && [ -f "$WORK/server.log" ]; then
    echo "---- server log" >&2; tail -n 60 "$WORK/server.log" >&2
  fi
  rm -rf "$WORK"
  exit "$status"
}
trap cleanup EXIT INT TERM

started=$(date +%s)
PORT=$("$BIN/python" -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
BASE=http://127.0.0.1:$PORT
export PATH="$BIN:$PATH"
export SOCLE_ENV=production DEBUG=0 SOCLE_HTTPS=0
export SECRET_KEY="production-check-$("$BIN/python" -c 'import secrets; print(secrets.token_urlsafe(40))')"
export ALLOWED_HOSTS=127.0.0.1 SITE_URL=$BASE SOCLE_DATA_DIR=$WORK/data
export DATABASE_URL=$("$PYTHON" scripts/pgcluster.py start "$PGDIR")
export EMAIL_BACKEND=django.core.mail.backends.locmem.EmailBackend
export SOCLE_BIND=127.0.0.1:$PORT SOCLE_WEB_WORKERS=2

# Its own process group, so that cleanup stops the server, its workers and the task workers.
setsid scripts/production_start.sh >"$WORK/server.log" 2>&1 &
START_PID=$!

for _ in $(seq 1 120); do
  curl -fsS -o /dev/null "$BASE/comptes/connexion/" 2>/dev/null && break
  kill -0 "$START_PID" 2>/dev/null || { echo "production_start.sh stopped" >&2; exit 1; }
  sleep 0.5
done

# The demo's members (the Gironde, Pessac…), once the start script has migrated.
socle demo >"$WORK/demo.log" 2>&1 || { cat "$WORK/demo.log" >&2; exit 1; }

# A hashed static file, from the manifest that collectstatic wrote.
STATIC=$("$BIN/python" -c 'import json, sys; print(json.load(open(sys.argv[1]))["paths"]["socle/socle.css"])' \
  "$WORK/data/static/staticfiles.json")

failed=0
for path in / /pessac/ /comptes/connexion/ /api/v1/ /api/v1/openapi.json "/static/$STATIC"; do
  code=$(curl -sS -o "$WORK/page" -D "$WORK/headers" -w '%{http_code}' "$BASE$path" || true)
  if [ "$code" != 200 ]; then
    echo "FAIL $path: HTTP $code" >&2; failed=1
  elif [ "${path#/static/}" = "$path" ] && ! grep -qi '^content-security-policy:' "$WORK/headers"; then
    echo "FAIL $path: no Content-Security-Policy header" >&2; failed=1
  else
    echo "ok   $path"
  fi
done
grep -q "/static/$STATIC" <(curl -sS "$BASE/") || { echo "FAIL /: does not link /static/$STATIC" >&2; failed=1; }
[ "$failed" = 0 ] || exit 1
echo "Production start checked in $(( $(date +%s) - started )) s."
