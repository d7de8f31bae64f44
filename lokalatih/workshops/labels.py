"""The words for a workshop's statuses, modes and status changes, as pages, emails and errors show
them. Apart from states.py, whose errors name these labels, so that the imports run one way."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l

from ..models import WorkshopMode, WorkshopStatus

S = WorkshopStatus

STATUS_LABELS = {
    S.DRAFT: _l("Draf"),
    S.PUBLISHED: _l("Pendaftaran dibuka"),
    S.REGISTRATION_CLOSED: _l("Pendaftaran ditutup"),
    S.RUNNING: _l("Berlangsung"),
    S.COMPLETED: _l("Selesai"),
    S.ARCHIVED: _l("Diarsipkan"),
    S.CANCELLED: _l("Dibatalkan"),
}

MODE_LABELS = {
    WorkshopMode.OFFLINE: _l("Luring (tatap muka)"),
    WorkshopMode.ONLINE: _l("Daring"),
    WorkshopMode.HYBRID: _l("Hibrida (luring dan daring)"),
}

# The button that moves a workshop to a status (reopening has its own wording).
ACTION_LABELS = {
    S.PUBLISHED: _l("Terbitkan dan buka pendaftaran"),
    S.REGISTRATION_CLOSED: _l("Tutup pendaftaran"),
    S.RUNNING: _l("Tandai sedang berlangsung"),
    S.COMPLETED: _l("Tandai selesai"),
    S.ARCHIVED: _l("Arsipkan"),
    S.CANCELLED: _l("Batalkan loka latih"),
}
REOPEN_LABEL = _l("Buka kembali pendaftaran")


def status_label(status: WorkshopStatus | str) -> str:
    return STATUS_LABELS[WorkshopStatus(status)]


def mode_label(mode: WorkshopMode | str) -> str:
    return MODE_LABELS[WorkshopMode(mode)]


def action_label(current: WorkshopStatus, target: WorkshopStatus) -> str:
    if current == S.REGISTRATION_CLOSED and target == S.PUBLISHED:
        return REOPEN_LABEL
    return ACTION_LABELS[target]
