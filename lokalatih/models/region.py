"""Official Kemendagri provinces and kabupaten/kota."""

from __future__ import annotations

import enum

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column

from ..extensions import db
from .base import enum_type


class RegionLevel(enum.StrEnum):
    PROVINCE = "province"
    REGENCY = "regency"  # kabupaten
    CITY = "city"  # kota


class Region(db.Model):
    __tablename__ = "regions"

    # Official written form: "31" for a province, "31.74" for a kabupaten/kota.
    code: Mapped[str] = mapped_column(sa.String(8), primary_key=True)
    name: Mapped[str] = mapped_column(sa.String(120))
    level: Mapped[RegionLevel] = mapped_column(enum_type(RegionLevel))
    parent_code: Mapped[str | None] = mapped_column(sa.ForeignKey("regions.code"), index=True)

    @property
    def is_province(self) -> bool:
        return self.level == RegionLevel.PROVINCE

    def __repr__(self) -> str:
        return f"<Region {self.code} {self.name}>"
