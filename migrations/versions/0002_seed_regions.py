"""seed the official Kemendagri provinces and kabupaten/kota

Revision ID: 0002_regions
Revises: 0001_initial
Create Date: 2026-11-23 16:40:00

The rows come from the data files shipped in lokalatih/data/regions (see SOURCE.md there). This
migration reads them itself, so it keeps working however the application code changes later.
"""

import csv
from pathlib import Path

import sqlalchemy as sa
from alembic import op

revision = "0002_regions"
down_revision = "0001_initial"
branch_labels = None
depends_on = None

DATA_DIR = Path(__file__).resolve().parents[2] / "lokalatih" / "data" / "regions"

regions = sa.table(
    "regions",
    sa.column("code", sa.String),
    sa.column("name", sa.String),
    sa.column("level", sa.String),
    sa.column("parent_code", sa.String),
)


def _rows():
    with open(DATA_DIR / "provinces.csv", newline="", encoding="utf-8") as handle:
        for record in csv.DictReader(handle):
            yield {"code": record["code"], "name": record["name"], "level": "province", "parent_code": None}
    with open(DATA_DIR / "regencies.csv", newline="", encoding="utf-8") as handle:
        for record in csv.DictReader(handle):
            raw = record["code"]
            yield {
                "code": f"{raw[:2]}.{raw[2:]}",
                "name": record["name"],
                "level": "city" if record["type"] == "city" else "regency",
                "parent_code": record["province_code"],
            }


def upgrade():
    op.bulk_insert(regions, list(_rows()))


def downgrade():
    op.execute(regions.delete().where(regions.c.parent_code.is_not(None)))
    op.execute(regions.delete())
