#!/usr/bin/env bash
# `make loadtest`: 100 simulated users (Locust, headless) against gunicorn on 127.0.0.1, on the
# PostgreSQL database of DATABASE_URL, then a check that every save they made is stored.
#
#   DATABASE_URL        required, postgres://… (seeded here when it holds no demo region)
#   LOADTEST_USERS      simulated users (100)            LOADTEST_SPAWN_RATE  per second (2)
#   LOADTEST_DURATION   how long, Locust's syntax (5m)   LOADTEST_WAIT        pause "2,8" s
#   LOADTEST_EMPLOYEES  size of the region it seeds (3000)
#   LOADTEST_PORT       gunicorn's port (default: a free one); GUNICORN_WORKERS / _THREADS as in
#                       deploy/gunicorn.conf.py
# Results in $ASN_DATA_DIR/loadtest/ (default var/loadtest/): Locust's CSV files, the saves.
set -euo pipefail
cd "$(dirname "$0")/.."
PYTHON=${PYTHON:-.venv/bin/python}

case "${DATABASE_URL:-}" in
  postgres://* | postgresql://* | pgsql://*) ;;
  *)
    echo "make loadtest needs PostgreSQL: DATABASE_URL=postgres://user@host:5432/database" >&2
    exit 2
    ;;
esac

# The server runs as in production except TLS: DEBUG off, one address for every simulated user
# (LOADTEST=true lifts allauth's logins-per-minute limit for it; production never reads it).
export DEBUG=false LOADTEST=true ALLOWED_HOSTS=127.0.0.1
export ASN_DATA_DIR=${ASN_DATA_DIR:-$PWD/var}
# A free port unless one is named; a port something else already listens on is refused, so
# that the simulated users never reach another server.
PORT=${LOADTEST_PORT:-$($PYTHON -c "import socket; s = socket.socket(); s.bind(('127.0.0.1', 0)); print(s.getsockname()[1])")}
if $PYTHON -c "import socket, sys; sys.exit(socket.socket().connect_ex(('127.0.0.1', $PORT)) != 0)"; then
  echo "127.0.0.1:$PORT is already in use: set LOADTEST_PORT to a free port" >&2
  exit 2
fi
OUT=$ASN_DATA_DIR/loadtest
mkdir -p "$OUT"

$PYTHON manage.py migrate -v0
if ! $PYTHON manage.py shell -c "from agencies.models import Region; raise SystemExit(0 if Region.objects.filter(code='3299').exists() else 1)"; then
  echo "== seed_demo --employees ${LOADTEST_EMPLOYEES:-3000} --agencies 6 --no-prescore"
  $PYTHON manage.py seed_demo --employees "${LOADTEST_EMPLOYEES:-3000}" --agencies 6 \
    --no-prescore --quiet-logins
fi
echo "== prepare"
$PYTHON loadtest/prepare.py

echo "== gunicorn on 127.0.0.1:$PORT"
# Keep-alive above the users' longest pause: they talk to gunicorn directly, as browsers talk
# to nginx (65 s); at gunicorn's 5 s a reused idle connection is reset under the client.
GUNICORN_BIND=127.0.0.1:$PORT GUNICORN_ACCESS_LOG="$OUT/access.log" GUNICORN_KEEPALIVE=75 \
  $PYTHON -m gunicorn -c deploy/gunicorn.conf.py asn_portal.wsgi:application \
  >"$OUT/gunicorn.log" 2>&1 &
SERVER=$!
trap 'kill $SERVER 2>/dev/null || true; wait $SERVER 2>/dev/null || true' EXIT
ready=""
for _ in $(seq 1 60); do
  kill -0 $SERVER 2>/dev/null || { cat "$OUT/gunicorn.log" >&2; exit 1; }
  if $PYTHON -c "import urllib.request as u; u.urlopen('http://127.0.0.1:$PORT/healthz', timeout=2)" 2>/dev/null; then
    ready=1
    break
  fi
  sleep 1
done
[ -n "$ready" ] || { echo "gunicorn did not answer on 127.0.0.1:$PORT" >&2; cat "$OUT/gunicorn.log" >&2; exit 1; }

echo "== locust: ${LOADTEST_USERS:-100} users for ${LOADTEST_DURATION:-5m}"
load_start=$(cut -d' ' -f1-3 /proc/loadavg)
status=0
$PYTHON -m locust -f loadtest/locustfile.py --headless --only-summary \
  --users "${LOADTEST_USERS:-100}" --spawn-rate "${LOADTEST_SPAWN_RATE:-2}" \
  --run-time "${LOADTEST_DURATION:-5m}" --stop-timeout 60 \
  --host "http://127.0.0.1:$PORT" --csv "$OUT/locust" >"$OUT/locust.log" 2>&1 || status=$?
load_end=$(cut -d' ' -f1-3 /proc/loadavg)
kill $SERVER 2>/dev/null || true
wait $SERVER 2>/dev/null || true
trap - EXIT
sed -n '/Response time percentiles/,$p' "$OUT/locust.log" | head -40 || true
grep -A30 "Error report" "$OUT/locust.log" | head -30 || true

echo "== summary"
$PYTHON - "$OUT/locust_stats.csv" "$load_start" "$load_end" <<'EOF'
import csv, sys
rows = {r["Name"]: r for r in csv.DictReader(open(sys.argv[1]))}
total = rows["Aggregated"]
print(f"requests: {total['Request Count']}, errors: {total['Failure Count']}, "
      f"{float(total['Requests/s']):.1f} requests/s; "
      f"p50 {total['50%']} ms, p95 {total['95%']} ms, p99 {total['99%']} ms; "
      f"load average {sys.argv[2]} -> {sys.argv[3]}")
EOF
echo "== check against the database"
$PYTHON loadtest/verify.py || status=1
exit $status
