"""gunicorn settings for lokalatih: `gunicorn -c gunicorn.conf.py wsgi:app` (docs/DEPLOY.md).

Every value can be changed from the environment, so one file serves a laptop, `make serve-prod`,
`make bench` and a production host. The worker class and counts were chosen from the measurements
in docs/PERFORMANCE.md.
"""

from __future__ import annotations

import os
import re

from gunicorn.glogging import Logger


def _int(name: str, default: int) -> int:
    value = os.environ.get(name, "").strip()
    return int(value) if value else default


def default_workers(cores: int | None = None, cap: int | None = None) -> int:
    """2 x cores + 1, capped: each sync worker holds a database connection and ~100 MB."""
    cores = cores or os.cpu_count() or 1
    cap = cap if cap is not None else _int("GUNICORN_MAX_WORKERS", 8)
    return max(1, min(2 * cores + 1, cap))


bind = os.environ.get("GUNICORN_BIND", "127.0.0.1:8000").split(",")
workers = _int("WEB_CONCURRENCY", default_workers())
# gthread, measured against sync (docs/PERFORMANCE.md): every commit waits ~10 ms for the WAL
# flush, and a thread can render while another waits; a sync worker is also held by a client that
# connects and sends nothing (no buffering proxy in front), a gthread worker is not.
worker_class = os.environ.get("GUNICORN_WORKER_CLASS", "gthread")
threads = _int("GUNICORN_THREADS", 4)

# Slow exports (XLSX of a large workshop, the unfiltered dashboard) stay well under this; a worker
# stuck longer is killed and replaced.
timeout = _int("GUNICORN_TIMEOUT", 30)
graceful_timeout = _int("GUNICORN_GRACEFUL_TIMEOUT", 30)
keepalive = _int("GUNICORN_KEEPALIVE", 5)
# Recycle workers now and then so a slow leak (or fragmentation) can never grow without bound; the
# jitter keeps them from all restarting at the same moment.
max_requests = _int("GUNICORN_MAX_REQUESTS", 2000)
max_requests_jitter = _int("GUNICORN_MAX_REQUESTS_JITTER", 200)

# Load the application once in the master: workers share its memory pages (copy-on-write) and a
# broken deploy fails at start instead of in every worker.
preload_app = os.environ.get("GUNICORN_PRELOAD", "1") != "0"
# Heartbeat files on tmpfs: a worker blocked on a slow disk is not mistaken for a hung one.
worker_tmp_dir = "/dev/shm" if os.path.isdir("/dev/shm") else None  # noqa: S108

# gunicorn 27 opens a control socket at one fixed path per user: two servers on one host (the app
# and the benchmark's ceiling, or two deployments) would fight over it. Opt in where it is wanted.
control_socket_disable = os.environ.get("GUNICORN_CONTROL_SOCKET", "0") != "1"

# The reverse proxy's address: only it may set X-Forwarded-Proto (https). The application's
# ProxyFix (TRUSTED_PROXY_HOPS in config.py) takes the client address from X-Forwarded-For.
forwarded_allow_ips = os.environ.get("FORWARDED_ALLOW_IPS", "127.0.0.1,::1")

# Access log without personal data: no client address (the proxy's log has it, under its own
# retention), no query string, no referrer, no user agent, and secret tokens in paths replaced.
accesslog = os.environ.get("GUNICORN_ACCESS_LOG", "-") or None
errorlog = os.environ.get("GUNICORN_ERROR_LOG", "-")
loglevel = os.environ.get("GUNICORN_LOG_LEVEL", "info")
access_log_format = '%(t)s "%(m)s %(U)s %(H)s" %(s)s %(b)s %(M)sms pid=%(p)s'

# Email verification, password reset and certificate codes travel in the path and are secrets.
_TOKEN_IN_PATH = re.compile(r"^(/akun/verifikasi/|/atur-ulang-sandi/|/verifikasi/)[^/]+")


def redact_path(path: str | None) -> str:
    return _TOKEN_IN_PATH.sub(r"\1:token", path or "-")


class RedactingLogger(Logger):
    """gunicorn's logger with every request detail that could identify someone removed."""

    def atoms(self, resp, req, environ, request_time):
        atoms = super().atoms(resp, req, environ, request_time)
        path = redact_path(environ.get("PATH_INFO"))
        atoms.update(
            {
                "h": "-",
                "U": path,
                "q": "-",
                "r": f"{environ.get('REQUEST_METHOD')} {path} {environ.get('SERVER_PROTOCOL')}",
                "f": "-",
                "a": "-",
            }
        )
        # Header atoms ({cookie}i, {x-forwarded-for}i, ...) must not leak through a custom format.
        for key in [k for k in atoms if k.startswith("{")]:
            atoms[key] = "-"
        return atoms


logger_class = RedactingLogger


def when_ready(server):
    # Compile every template once, in the master: each worker (also those that replace workers
    # recycled by max_requests) is forked with them compiled instead of compiling them again on
    # its first requests (about 100 ms of CPU for the first quiz page, docs/PERFORMANCE.md).
    app = server.app.wsgi() if preload_app else None
    environment = getattr(app, "jinja_env", None)
    if environment is None:
        return
    for name in environment.list_templates(extensions=("html", "txt")):
        environment.get_template(name)
    server.log.info("Compiled %d templates before forking workers", len(environment.cache))


def post_fork(server, worker):
    # A connection opened in the master must never be shared by two workers.
    from lokalatih.extensions import db

    app = server.app.wsgi() if preload_app else None
    if app is not None and "sqlalchemy" in getattr(app, "extensions", {}):
        with app.app_context():
            db.engine.dispose(close=False)
