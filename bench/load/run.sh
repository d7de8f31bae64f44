#!/usr/bin/env bash
# `make bench`: reset and seed lokalatih_bench, serve lokalatih and the ceiling app with the same
# gunicorn.conf.py, run one `flask scheduler`, drive the scenarios from a separate process, and
# write the figures into docs/PERFORMANCE.md. Arguments are passed on to loadgen.py
# (e.g. --only race --out '').
set -euo pipefail
cd "$(dirname "$0")/../.."

BIN=$PWD/.venv/bin
PGHOST_ADDR=${PGHOST_ADDR:-127.0.0.1}
DB_NAME=${LOKALATIH_BENCH_DB:-lokalatih_bench}
APP_PORT=${BENCH_APP_PORT:-8101}
CEILING_PORT=${BENCH_CEILING_PORT:-8102}
STATE=${BENCH_STATE:-instance/bench-state.json}

export FLASK_APP=wsgi
export PYTHONPATH=$PWD${PYTHONPATH:+:$PYTHONPATH}
export LOKALATIH_CONFIG=production
export DATABASE_URL=postgresql+psycopg://postgres@${PGHOST_ADDR}:5432/${DB_NAME}
export RATELIMIT_STORAGE_URI=${RATELIMIT_STORAGE_URI:-redis://127.0.0.1:6379/2}
mkdir -p instance
if [[ -z "${SECRET_KEY:-}" ]]; then
    # The seeded cookies are signed with it, so it is kept for BENCH_REUSE runs.
    [[ -s instance/bench_secret_key ]] || (umask 077 && $BIN/python -c 'import secrets; print(secrets.token_urlsafe(48))' >instance/bench_secret_key)
    SECRET_KEY=$(cat instance/bench_secret_key)
fi
export SECRET_KEY
if [[ -z "${TWO_FACTOR_KEYS:-}" ]]; then
    [[ -s instance/bench_two_factor_key ]] || (umask 077 && $BIN/python -c 'from cryptography.fernet import Fernet; print(Fernet.generate_key().decode())' >instance/bench_two_factor_key)
    TWO_FACTOR_KEYS=$(cat instance/bench_two_factor_key)
fi
export TWO_FACTOR_KEYS
# Plain http on localhost (see scripts/serve-prod.sh); no proxy in front.
export SESSION_COOKIE_SECURE=0 TRUSTED_PROXY_HOPS=0
# The outbox fills with confirmations; the scheduler "sends" them without an SMTP server.
export MAIL_SUPPRESS_SEND=1 MAIL_CONSOLE=0
export GUNICORN_ACCESS_LOG=${GUNICORN_ACCESS_LOG:-}  # 10^5 lines of access log would cost CPU
mkdir -p instance

# BENCH_REUSE=1 keeps the seeded database (only for the catalogue, the ceiling and profiling:
# the scenarios change the data they run on).
if [[ "${BENCH_REUSE:-0}" != "1" ]]; then
    dropdb -h "$PGHOST_ADDR" -U postgres --if-exists "$DB_NAME"
    createdb -h "$PGHOST_ADDR" -U postgres "$DB_NAME"
    $BIN/python -c 'import redis, os; redis.Redis.from_url(os.environ["RATELIMIT_STORAGE_URI"]).flushdb()'
    $BIN/flask db upgrade >/dev/null
    $BIN/python bench/load/seed.py "$STATE"
    $BIN/python bench/ceiling.py
fi

pids=()
stop() {
    for pid in "${pids[@]}"; do kill -TERM "$pid" 2>/dev/null || true; done
    wait 2>/dev/null || true
}
trap stop EXIT INT TERM

GUNICORN_BIND=127.0.0.1:${APP_PORT} $BIN/gunicorn -c gunicorn.conf.py wsgi:app &
app_pid=$!
pids+=($app_pid)
GUNICORN_BIND=127.0.0.1:${CEILING_PORT} $BIN/gunicorn -c gunicorn.conf.py bench.ceiling:app &
ceiling_pid=$!
pids+=($ceiling_pid)
$BIN/flask scheduler >/dev/null 2>&1 &
scheduler_pid=$!
pids+=($scheduler_pid)

for port in "$APP_PORT" "$CEILING_PORT"; do
    for _ in $(seq 1 60); do
        curl -s -o /dev/null "http://127.0.0.1:${port}/" && break
        sleep 0.5
    done
done

# The scheduler's start (imports, its first jobs) takes a few seconds of CPU: wait for its
# heartbeat, so that it does not compete with the ceiling's measurement.
for _ in $(seq 1 60); do
    curl -s "http://127.0.0.1:${APP_PORT}/health" | grep -q '"status": *"ok"' && break
    sleep 1
done
sleep 2

workers=$($BIN/python -c 'import runpy; c = runpy.run_path("gunicorn.conf.py"); print(c["workers"], c["worker_class"], c["threads"])')
PATH=$BIN:$PATH $BIN/python bench/load/loadgen.py \
    --state "$STATE" \
    --app "http://127.0.0.1:${APP_PORT}" \
    --ceiling "http://127.0.0.1:${CEILING_PORT}" \
    --gunicorn-pid "$app_pid" \
    --ceiling-pid "$ceiling_pid" \
    --scheduler-pid "$scheduler_pid" \
    --database-url "postgresql+psycopg://postgres@${PGHOST_ADDR}:5432/${DB_NAME}" \
    --server-description "workers/class/threads: ${workers}" \
    "$@"
