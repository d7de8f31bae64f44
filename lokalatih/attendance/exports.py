"""The workshop's attendance report: on the organizer's page and as CSV or XLSX."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import sqlalchemy as sa
from flask_babel import format_decimal
from flask_babel import gettext as _

from .. import spreadsheets
from ..extensions import db
from ..models import CheckIn, Profile, Registration, User, Workshop, WorkshopSession
from ..participation import attendance_counts_of
from .presence import display_name, share_percent
from .services import CONFIRMED, attendance_shares

FORMATS = ("csv", "xlsx")


@dataclass(frozen=True)
class ParticipantAttendance:
    registration: Registration
    name: str
    email: str
    institution: str | None
    session_ids: frozenset[int]  # the sessions attended
    attended: int
    total: int

    @property
    def percent(self) -> float:
        return share_percent(self.attended, self.total)


@dataclass(frozen=True)
class AttendanceReport:
    sessions: list[WorkshopSession]
    checked_in: dict[int, int]  # session id → confirmed participants checked in
    confirmed: int
    participants: list[ParticipantAttendance]


def workshop_report(workshop: Workshop) -> AttendanceReport:
    """Per session, how many came; per confirmed participant, which sessions and what share.

    The counts per participant are those of `attendance_shares`, which the certificates use.
    """
    pairs = db.session.execute(
        sa.select(CheckIn.registration_id, CheckIn.session_id)
        .join(Registration, CheckIn.registration_id == Registration.id)
        .where(Registration.workshop_id == workshop.id, Registration.status == CONFIRMED)
    ).all()
    attended_by: dict[int, set[int]] = {}
    checked_in: dict[int, int] = {session.id: 0 for session in workshop.sessions}
    for registration_id, session_id in pairs:
        attended_by.setdefault(registration_id, set()).add(session_id)
        checked_in[session_id] = checked_in.get(session_id, 0) + 1
    shares = attendance_shares(workshop)
    people = db.session.execute(
        sa.select(Registration, User, Profile)
        .join(User, Registration.user_id == User.id)
        .outerjoin(Profile, Profile.user_id == User.id)
        .where(Registration.workshop_id == workshop.id, Registration.status == CONFIRMED)
    ).all()
    participants = [
        ParticipantAttendance(
            registration=registration,
            name=display_name(user, profile),
            email=user.email,
            institution=profile.institution_name if profile is not None else None,
            session_ids=frozenset(attended_by.get(registration.id, ())),
            attended=shares[registration.id][0],
            total=shares[registration.id][1],
        )
        for registration, user, profile in people
    ]
    participants.sort(key=lambda row: (row.name.casefold(), row.registration.id))
    return AttendanceReport(
        sessions=list(workshop.sessions),
        checked_in=checked_in,
        confirmed=len(participants),
        participants=participants,
    )


def format_percent(value: float) -> str:
    """'66,7' in Indonesian, '66.7' in English."""
    return format_decimal(round(value, 1), format="#,##0.#")


@dataclass(frozen=True)
class AttendanceSummary:
    """A participant's own attendance line: sessions attended of the workshop's sessions."""

    attended: int
    total: int
    percent: str  # formatted for the page's language


def attendance_summaries(registrations: Sequence[Registration]) -> dict[int, AttendanceSummary]:
    """Registration id → its attendance summary, in two statements for any number of rows."""
    return {
        registration_id: AttendanceSummary(
            attended, total, format_percent(share_percent(attended, total))
        )
        for registration_id, (attended, total) in attendance_counts_of(registrations).items()
    }


def attendance_sheet(report: AttendanceReport) -> spreadsheets.Sheet:
    """One row per participant; counts stay numbers so a spreadsheet can sum them."""
    header = [_("Nama"), _("Email"), _("Instansi")]
    header += [
        _("Sesi %(number)s: %(title)s", number=index, title=session.title)
        for index, session in enumerate(report.sessions, start=1)
    ]
    header += [_("Sesi dihadiri"), _("Jumlah sesi"), _("Persentase kehadiran")]
    present, absent = _("Hadir"), _("Tidak hadir")
    rows: list[list[spreadsheets.Cell]] = []
    for person in report.participants:
        row: list[spreadsheets.Cell] = [person.name, person.email, person.institution]
        row += [present if s.id in person.session_ids else absent for s in report.sessions]
        row += [person.attended, person.total, round(person.percent, 1)]
        rows.append(row)
    return spreadsheets.Sheet(_("Kehadiran"), header, rows, frozen_columns=1)


def export_report(report: AttendanceReport, fmt: str) -> bytes:
    sheet = attendance_sheet(report)
    if fmt == "csv":
        return spreadsheets.csv_bytes([sheet.header, *sheet.rows])
    return spreadsheets.xlsx_bytes([sheet])
