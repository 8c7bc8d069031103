#!/usr/bin/env bash
# Run the portal on the embedded default: web server, a real Celery worker and beat, on a
# SQLite file and the filesystem broker. Ctrl-C stops all three.
set -euo pipefail
cd "$(dirname "$0")/.."
PYTHON=${PYTHON:-.venv/bin/python}  # installed by make demo
HOST=${HOST:-127.0.0.1}
PORT=${PORT:-8000}
mkdir -p var/log

$PYTHON manage.py migrate --noinput
$PYTHON manage.py seed_demo --quiet-logins

pids=()
cleanup() { kill "${pids[@]}" 2>/dev/null || true; wait 2>/dev/null || true; }
trap cleanup EXIT INT TERM

$PYTHON -m celery -A asn_portal worker -Q default,pdf --concurrency 2 --loglevel INFO \
  >var/log/worker.log 2>&1 &
pids+=($!)
$PYTHON -m celery -A asn_portal beat --loglevel INFO >var/log/beat.log 2>&1 &
pids+=($!)

echo "Portal: http://$HOST:$PORT  (login: see README, section Demo logins)"
echo "Worker and beat logs: var/log/worker.log, var/log/beat.log"
$PYTHON manage.py runserver "$HOST:$PORT" --noreload
