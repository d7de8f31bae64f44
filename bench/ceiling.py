"""The ceiling: a bare Flask app that inserts one row per request into the same PostgreSQL.

Served by the same gunicorn.conf.py as lokalatih (`gunicorn -c gunicorn.conf.py bench.ceiling:app`
from the repository root), it shows what gunicorn, Flask and one INSERT cost on this machine; the
load benchmark reports every scenario's throughput as a share of it (docs/PERFORMANCE.md).
"""

from __future__ import annotations

import os

import sqlalchemy as sa
from flask import Flask, jsonify

engine = sa.create_engine(os.environ["DATABASE_URL"], pool_pre_ping=True)
hits = sa.Table(
    "bench_ceiling_hits",
    sa.MetaData(),
    sa.Column("id", sa.BigInteger, primary_key=True, autoincrement=True),
    sa.Column("created_at", sa.DateTime, server_default=sa.func.now(), nullable=False),
    sa.Column("note", sa.String(100), nullable=False),
)

app = Flask(__name__)


@app.post("/hit")
def hit():
    with engine.begin() as connection:
        row_id = connection.execute(
            sa.insert(hits).values(note="ceiling").returning(hits.c.id)
        ).scalar_one()
    return jsonify(id=row_id)


def create_table() -> None:
    hits.drop(engine, checkfirst=True)
    hits.create(engine)


if __name__ == "__main__":
    create_table()
