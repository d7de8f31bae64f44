#!/usr/bin/env bash
# `make serve-prod`: the production shape on this machine. PostgreSQL (created if missing),
# migrations, demo data when the database is empty, then gunicorn (gunicorn.conf.py, several
# workers) and exactly one `flask scheduler`. Ctrl-C stops both.
#
# Plain http on localhost: ProductionConfig sets Secure cookies, which a browser never sends back
# over http, so nobody could log in. LOKALATIH_LOCAL_HTTP=1 (the default here) turns Secure cookies
# off and says so; set LOKALATIH_LOCAL_HTTP=0 when a TLS proxy is in front.
set -euo pipefail
cd "$(dirname "$0")/.."

BIN=.venv/bin
PGHOST_ADDR=${PGHOST_ADDR:-127.0.0.1}
PGUSER_NAME=${PGUSER_NAME:-postgres}
DB_NAME=${LOKALATIH_PROD_DB:-lokalatih_prod}
PORT=${PORT:-8000}

export FLASK_APP=wsgi
export LOKALATIH_CONFIG=production
export DATABASE_URL=${DATABASE_URL:-postgresql+psycopg://${PGUSER_NAME}@${PGHOST_ADDR}:5432/${DB_NAME}}
export RATELIMIT_STORAGE_URI=${RATELIMIT_STORAGE_URI:-redis://127.0.0.1:6379/1}
export GUNICORN_BIND=${GUNICORN_BIND:-127.0.0.1:${PORT}}
export PUBLIC_BASE_URL=${PUBLIC_BASE_URL:-http://127.0.0.1:${PORT}}
# Nobody is in front of gunicorn here, so no X-Forwarded-* header is trusted.
export TRUSTED_PROXY_HOPS=${TRUSTED_PROXY_HOPS:-0}
# No SMTP relay on a laptop: the scheduler prints the emails it sends (set MAIL_SERVER and
# MAIL_CONSOLE=0 to use a relay).
export MAIL_CONSOLE=${MAIL_CONSOLE:-1}

if [[ "${LOKALATIH_LOCAL_HTTP:-1}" == "1" ]]; then
    export SESSION_COOKIE_SECURE=0
    echo "serve-prod: plain http on ${GUNICORN_BIND}: Secure cookies OFF (LOKALATIH_LOCAL_HTTP=1)." >&2
fi

# SECRET_KEY: the environment's, else one generated once into instance/ (never committed).
if [[ -z "${SECRET_KEY:-}" ]]; then
    mkdir -p instance
    if [[ ! -s instance/secret_key ]]; then
        (umask 077 && $BIN/python -c 'import secrets; print(secrets.token_urlsafe(48))' >instance/secret_key)
        echo "serve-prod: generated instance/secret_key" >&2
    fi
    SECRET_KEY=$(cat instance/secret_key)
    export SECRET_KEY
fi
# TWO_FACTOR_KEYS (seal two-step secrets at rest): likewise, generated once into instance/.
if [[ -z "${TWO_FACTOR_KEYS:-}" ]]; then
    if [[ ! -s instance/two_factor_key ]]; then
        (umask 077 && $BIN/python -c 'from cryptography.fernet import Fernet; print(Fernet.generate_key().decode())' >instance/two_factor_key)
        echo "serve-prod: generated instance/two_factor_key" >&2
    fi
    TWO_FACTOR_KEYS=$(cat instance/two_factor_key)
    export TWO_FACTOR_KEYS
fi

# The database, created when missing (only when DATABASE_URL was not given).
if [[ "$DATABASE_URL" == *"@${PGHOST_ADDR}:5432/${DB_NAME}" ]]; then
    if ! psql -h "$PGHOST_ADDR" -U "$PGUSER_NAME" -d postgres -tAc \
        "SELECT 1 FROM pg_database WHERE datname = '${DB_NAME}'" | grep -q 1; then
        createdb -h "$PGHOST_ADDR" -U "$PGUSER_NAME" "$DB_NAME"
        echo "serve-prod: created database ${DB_NAME}" >&2
    fi
fi

if [[ "$RATELIMIT_STORAGE_URI" == redis://* ]]; then
    $BIN/python - <<'EOF' || { echo "serve-prod: Redis at $RATELIMIT_STORAGE_URI does not answer" >&2; exit 1; }
import os, redis
redis.Redis.from_url(os.environ["RATELIMIT_STORAGE_URI"], socket_timeout=2).ping()
EOF
fi

$BIN/flask db upgrade
users=$($BIN/python - <<'EOF'
import sqlalchemy as sa
from lokalatih import create_app
from lokalatih.extensions import db
with create_app().app_context():
    print(db.session.scalar(sa.text("SELECT count(*) FROM users")))
EOF
)
if [[ "$users" == "0" && "${SERVE_PROD_DEMO:-1}" == "1" ]]; then
    $BIN/flask demo load --force
fi

pids=()
stop() {
    trap - INT TERM EXIT
    for pid in "${pids[@]}"; do
        kill -TERM "$pid" 2>/dev/null || true
    done
    wait 2>/dev/null || true
}
trap stop INT TERM EXIT

$BIN/gunicorn -c gunicorn.conf.py wsgi:app &
pids+=($!)
if [[ "${SERVE_PROD_SCHEDULER:-1}" == "1" ]]; then
    $BIN/flask scheduler &
    pids+=($!)
fi
echo "serve-prod: http://${GUNICORN_BIND} (gunicorn pid ${pids[0]}); Ctrl-C stops everything." >&2
# Whichever stops first (Ctrl-C, or a crash) takes the other one down with it.
wait -n
