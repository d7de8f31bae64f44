"""Follow-up rates and outcomes across workshops, for the review dashboard and its export.

The same rules as the dashboard's figures (docs/REPORTS.md): the workshops in the viewer's scope
(an organizer: their own), the report filters, confirmed participants only, and any group of fewer
than 5 distinct participants is suppressed (page and export). A follow-up "rate" is the share of
actions whose follow-up is due that the participant has reported on.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from typing import Any

import sqlalchemy as sa
from flask_babel import get_locale
from flask_babel import gettext as _

from ..extensions import db
from ..labels import INSTITUTION_TYPE_LABELS
from ..models import (
    ActionPlanItem,
    ActionStatus,
    InstitutionType,
    Region,
    Registration,
    RegistrationStatus,
    Role,
    Theme,
    User,
    Workshop,
    WorkshopSession,
    WorkshopTopic,
    utcnow,
    workshop_organizers,
)
from ..spreadsheets import Sheet, xlsx_bytes
from ..workshops.access import managed_workshops
from .services import PLANNED_STATUSES, STATUS_LABELS

MIN_GROUP = 5
DIMENSIONS = ("province", "regency", "institution_type", "theme")


@dataclass
class OutcomeFilters:
    """The dashboard's filters by the same names (the reports' `Filters` also fits)."""

    date_from: date | None = None
    date_to: date | None = None
    province: str | None = None
    regency: str | None = None
    institution_type: InstitutionType | None = None
    gender: Any = None
    organizer_id: int | None = None
    topic: str | None = None


@dataclass
class OutcomeRow:
    label: str
    participants: int = 0
    actions: int = 0
    due: int = 0
    reported: int = 0
    statuses: dict[str, int] = field(default_factory=dict)
    suppressed: bool = False

    @property
    def rate(self) -> float | None:
        return 100 * self.reported / self.due if self.due else None

    def status_rate(self, status: str) -> float | None:
        """The share (percent) of the actions with a reported status that have this one."""
        total = sum(self.statuses.values())
        return 100 * self.statuses.get(status, 0) / total if total else None


@dataclass
class Outcomes:
    total: OutcomeRow
    groups: dict[str, list[OutcomeRow]]


def _query(filters, viewer: User):
    query = (
        sa.select(
            ActionPlanItem.status,
            ActionPlanItem.theme_id,
            Registration.user_id,
            Registration.province_code,
            Registration.regency_code,
            Registration.institution_type,
            Workshop.id,
            Workshop.follow_up_days,
            Workshop.end_date,
            Workshop.timezone,
        )
        .join(Registration, ActionPlanItem.registration_id == Registration.id)
        .join(Workshop, Registration.workshop_id == Workshop.id)
        .where(
            Registration.status == RegistrationStatus.CONFIRMED,
            Workshop.status.in_(PLANNED_STATUSES),
        )
    )
    if viewer.role == Role.ORGANIZER:
        scope = managed_workshops(viewer).with_only_columns(Workshop.id).order_by(None)
        query = query.where(Workshop.id.in_(scope))
    if filters.date_from:
        query = query.where(Workshop.start_date >= filters.date_from)
    if filters.date_to:
        query = query.where(Workshop.start_date <= filters.date_to)
    if filters.organizer_id:
        query = query.where(
            Workshop.id.in_(
                sa.select(workshop_organizers.c.workshop_id).where(
                    workshop_organizers.c.user_id == filters.organizer_id
                )
            )
        )
    if filters.topic:
        query = query.where(
            Workshop.id.in_(
                sa.select(WorkshopTopic.workshop_id).where(WorkshopTopic.tag == filters.topic)
            )
        )
    for name in ("province", "regency"):
        if getattr(filters, name):
            query = query.where(getattr(Registration, f"{name}_code") == getattr(filters, name))
    if filters.institution_type:
        query = query.where(Registration.institution_type == filters.institution_type)
    if filters.gender:
        query = query.where(Registration.gender == filters.gender)
    return query


def _ends(workshop_ids: set[int]) -> dict[int, datetime]:
    if not workshop_ids:
        return {}
    rows = db.session.execute(
        sa.select(WorkshopSession.workshop_id, sa.func.max(WorkshopSession.ends_at))
        .where(WorkshopSession.workshop_id.in_(workshop_ids))
        .group_by(WorkshopSession.workshop_id)
    )
    # max() over the UTC column comes back naive on SQLite: it is UTC.
    return {wid: end.replace(tzinfo=UTC) for wid, end in rows if end is not None}


def _labels(dimension: str, codes: set) -> dict:
    if dimension in ("province", "regency"):
        regions = db.session.scalars(sa.select(Region).where(Region.code.in_(codes - {None})))
        return {region.code: region.name for region in regions}
    if dimension == "institution_type":
        return {member: str(label) for member, label in INSTITUTION_TYPE_LABELS.items()}
    locale = str(get_locale() or "id")
    themes = db.session.scalars(sa.select(Theme).where(Theme.id.in_(codes - {None})))
    return {theme.id: theme.name_for(locale) for theme in themes}


def _none_label(dimension: str) -> str:
    if dimension == "theme":
        return _("Lainnya / tidak terkait tema")
    return _("Tidak diketahui")


def outcomes(filters, viewer: User, now: datetime | None = None) -> Outcomes:
    now = now or utcnow()
    rows = db.session.execute(_query(filters, viewer)).all()
    ends = _ends({row[6] for row in rows})

    def empty() -> dict:
        return {"users": set(), "actions": 0, "due": 0, "reported": 0, "statuses": defaultdict(int)}

    cells: dict[tuple[str, Any], dict] = defaultdict(empty)
    for status, theme_id, user_id, province, regency, itype, wid, days, end_date, zone in rows:
        end = ends.get(wid) or datetime.combine(
            end_date + timedelta(days=1), time(), zone.zone
        ).astimezone(UTC)
        due = now >= end + timedelta(days=days)
        keys = {
            "province": province,
            "regency": regency,
            "institution_type": itype,
            "theme": theme_id,
        }
        for key in [("total", None), *keys.items()]:
            cell = cells[key]
            cell["users"].add(user_id)
            cell["actions"] += 1
            if due:
                cell["due"] += 1
                if status is not None:
                    cell["reported"] += 1
            if status is not None:
                cell["statuses"][status.value] += 1

    def row(label: str, cell: dict | None) -> OutcomeRow:
        if cell is None:
            return OutcomeRow(label=label, suppressed=True)
        return OutcomeRow(
            label=label,
            participants=len(cell["users"]),
            actions=cell["actions"],
            due=cell["due"],
            reported=cell["reported"],
            statuses=dict(cell["statuses"]),
            suppressed=len(cell["users"]) < MIN_GROUP,
        )

    groups: dict[str, list[OutcomeRow]] = {}
    for dimension in DIMENSIONS:
        codes = {code for (name, code) in cells if name == dimension}
        labels = _labels(dimension, codes)
        found = [
            row(labels.get(code, code) if code is not None else _none_label(dimension), cell)
            for (name, code), cell in cells.items()
            if name == dimension
        ]
        groups[dimension] = sorted(found, key=lambda r: (r.suppressed, str(r.label)))
    return Outcomes(total=row(_("Semua"), cells.get(("total", None))), groups=groups)


# --- export ------------------------------------------------------------------------------------


def dimension_titles() -> dict[str, str]:
    return {
        "province": _("Provinsi"),
        "regency": _("Kabupaten/kota"),
        "institution_type": _("Jenis instansi"),
        "theme": _("Tema KKPHAM"),
    }


def header(first: str) -> list[str]:
    return [
        first,
        _("Peserta dengan rencana"),
        _("Aksi"),
        _("Aksi jatuh tempo"),
        _("Dilaporkan"),
        _("Tingkat tindak lanjut (%)"),
        *[str(label) for label in STATUS_LABELS.values()],
    ]


def cells(row: OutcomeRow) -> list:
    if row.suppressed:
        return [str(row.label), "< 5", *[None] * (4 + len(STATUS_LABELS))]
    rate = round(row.rate, 1) if row.rate is not None else None
    return [
        str(row.label),
        row.participants,
        row.actions,
        row.due,
        row.reported,
        rate,
        *[row.statuses.get(status.value, 0) for status in ActionStatus],
    ]


def export_xlsx(result: Outcomes) -> bytes:
    titles = dimension_titles()
    sheets = [Sheet(_("Ringkasan"), header(_("Cakupan")), [cells(result.total)])]
    sheets += [
        Sheet(_("Per %(name)s", name=titles[d].lower()), header(titles[d]), [cells(r) for r in g])
        for d, g in result.groups.items()
    ]
    sheets.append(
        Sheet(
            _("Definisi"),
            [_("Istilah"), _("Arti")],
            [
                (
                    _("Aksi jatuh tempo"),
                    _("Aksi yang waktu tindak lanjutnya sudah tiba (hari setelah sesi terakhir)."),
                ),
                (
                    _("Tingkat tindak lanjut"),
                    _("Aksi yang sudah dilaporkan dibagi aksi jatuh tempo."),
                ),
                (_("< 5"), _("Kelompok dengan kurang dari 5 peserta tidak ditampilkan.")),
            ],
            wrap=True,
        )
    )
    return xlsx_bytes(sheets)
