#!/usr/bin/env bash
# Start Socle in production: migrate, collect the static files, then run the web server
# (gunicorn --preload), the task worker (socle db_worker), the outbox sweeper
# (socle outbox --loop) and the daily schedule (socle signalements schedule --loop) until one
# of them stops or this script is told to stop.
#
# Settings come from the environment only (.env.example): at least SOCLE_ENV=production,
# SECRET_KEY, DATABASE_URL (PostgreSQL), ALLOWED_HOSTS, SITE_URL. The script's own knobs:
#   SOCLE_BIND=127.0.0.1:8000   where gunicorn listens
#   SOCLE_WEB_WORKERS=3         gunicorn's worker processes
#   SOCLE_TASK_WORKERS=1        `socle db_worker` processes (0 with TASKS_BACKEND=rq: run RQ yourself)
# `socle` and `gunicorn` must be on PATH (the virtual environment's bin/).
set -euo pipefail

BIND=${SOCLE_BIND:-127.0.0.1:8000}
WEB_WORKERS=${SOCLE_WEB_WORKERS:-3}
TASK_WORKERS=${SOCLE_TASK_WORKERS:-1}

socle migrate --noinput
# WhiteNoise serves the hashed files listed in STATIC_ROOT's manifest: without this step, every
# page that links a static file answers 500.
socle collectstatic --noinput

children=()
stop() {
  trap - EXIT INT TERM
  kill "${children[@]}" 2>/dev/null || true
  wait 2>/dev/null || true
}
trap stop EXIT INT TERM

for _ in $(seq 1 "$TASK_WORKERS"); do
  socle db_worker --no-reload &
  children+=($!)
done
socle outbox --loop &
children+=($!)
# Daily scheduled work: the reports' retention (personal data of closed reports erased).
socle signalements schedule --loop &
children+=($!)
# Daily: the open datasets the platform produces (équipements, reports, élus, catalogue).
socle opendata_generer --worker --loop &
children+=($!)
socle datagouv_sweep --loop &
children+=($!)
# Démarches: incomplete filings, missing documents and lost webhook deliveries queued again
# (every 5 minutes), the dossiers' retention (daily).
socle demarches schedule --loop &
children+=($!)
# --preload: the routing index is built once in the master and shared by the forked workers.
# The access log has no query strings: they may carry personal data (searches, filters).
gunicorn --preload --bind "$BIND" --workers "$WEB_WORKERS" --access-logfile - \
  --access-logformat '%(h)s %(t)s "%(m)s %(U)s" %(s)s %(b)s %(L)ss' socle.wsgi &
children+=($!)

# Stop everything as soon as one process ends: a supervisor (systemd) restarts the whole.
wait -n
exit 1
