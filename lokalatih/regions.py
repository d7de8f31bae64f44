"""The official Kemendagri region list in `lokalatih/data/regions/` (see SOURCE.md)."""

from __future__ import annotations

import csv
from dataclasses import dataclass
from functools import cache
from pathlib import Path

import sqlalchemy as sa

from .extensions import db
from .models import Region, RegionLevel

DATA_DIR = Path(__file__).parent / "data" / "regions"


@dataclass(frozen=True)
class RegionRow:
    code: str
    name: str
    level: RegionLevel
    parent_code: str | None


def official_code(raw: str) -> str:
    """'3174' -> '31.74': the dotted form Kemendagri writes."""
    raw = raw.strip()
    return raw if len(raw) <= 2 else f"{raw[:2]}.{raw[2:]}"


@cache
def read_region_rows() -> tuple[RegionRow, ...]:
    rows: list[RegionRow] = []
    with open(DATA_DIR / "provinces.csv", newline="", encoding="utf-8") as handle:
        for record in csv.DictReader(handle):
            rows.append(RegionRow(record["code"], record["name"], RegionLevel.PROVINCE, None))
    with open(DATA_DIR / "regencies.csv", newline="", encoding="utf-8") as handle:
        for record in csv.DictReader(handle):
            level = RegionLevel.CITY if record["type"] == "city" else RegionLevel.REGENCY
            rows.append(
                RegionRow(
                    official_code(record["code"]), record["name"], level, record["province_code"]
                )
            )
    return tuple(rows)


def sync_regions() -> int:
    """Insert missing regions and rename changed ones; returns how many rows changed."""
    existing = {region.code: region for region in db.session.scalars(sa.select(Region))}
    changed = 0
    for row in read_region_rows():
        region = existing.get(row.code)
        if region is None:
            db.session.add(
                Region(code=row.code, name=row.name, level=row.level, parent_code=row.parent_code)
            )
            changed += 1
        elif region.name != row.name:
            region.name = row.name
            changed += 1
    db.session.flush()
    return changed


def list_provinces() -> list[Region]:
    return list(
        db.session.scalars(
            sa.select(Region).where(Region.level == RegionLevel.PROVINCE).order_by(Region.code)
        )
    )


def list_regencies(province_code: str) -> list[Region]:
    return list(
        db.session.scalars(
            sa.select(Region).where(Region.parent_code == province_code).order_by(Region.name)
        )
    )
