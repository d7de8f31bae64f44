"""Why a workshop, agenda or status change was refused: each error has a code and a message for
the user."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l

from .. import lessonhours
from ..errors import LokalatihError
from ..models import Workshop, WorkshopStatus
from .labels import status_label
from .timefmt import short_day

# Workshop details


class WorkshopError(LokalatihError):
    """A refused change; `field` names the form field the message belongs to, if any."""

    field: str | None = None


class TooManyTopicsError(WorkshopError):
    code = "too_many_topics"
    message = _l("Paling banyak 10 topik.")


class TopicTooLongError(WorkshopError):
    code = "topic_too_long"
    message = _l("Setiap topik paling panjang 60 karakter.")


class InvalidMeetingUrlError(WorkshopError):
    code = "invalid_meeting_url"
    message = _l("Tautan harus berupa alamat web lengkap yang diawali https:// atau http://.")


class CapacityBelowConfirmedError(WorkshopError):
    code = "capacity_below_confirmed"
    field = "capacity"

    def __init__(self, confirmed: int) -> None:
        super().__init__(
            _l(
                "Kapasitas tidak dapat lebih kecil dari jumlah peserta terkonfirmasi (%(count)s).",
                count=confirmed,
            )
        )


class CapacityBelowQuotasError(WorkshopError):
    code = "capacity_below_quotas"
    field = "capacity"

    def __init__(self, reserved: int) -> None:
        super().__init__(
            _l(
                "Kapasitas tidak dapat lebih kecil dari jumlah kursi kuota (%(count)s).",
                count=reserved,
            )
        )


class DatesExcludeSessionsError(WorkshopError):
    code = "dates_exclude_sessions"
    message = _l("Ada sesi di luar rentang tanggal ini. Pindahkan sesinya terlebih dahulu.")

    def __init__(self, field: str) -> None:
        super().__init__()
        self.field = field


class WorkshopLockedError(WorkshopError):
    code = "workshop_locked"
    message = _l("Loka latih yang sudah dibatalkan atau diarsipkan tidak dapat diubah.")


class OrganizerNotFoundError(WorkshopError):
    """One answer whether the address has no account or an account of another role: the field
    must not tell an organizer who has an account, or which role it has."""

    code = "organizer_not_found"
    field = "co_organizer_email"
    message = _l(
        "Tidak ada penyelenggara dengan email ini. Penyelenggara pendamping harus sudah memiliki "
        "akun penyelenggara; minta admin membuatkan atau mengubah perannya."
    )


# Agenda and quotas


class SessionEndsBeforeStartError(WorkshopError):
    code = "session_ends_before_start"
    field = "ends_at"
    message = _l("Waktu selesai harus setelah waktu mulai.")


class SessionOutsideWorkshopError(WorkshopError):
    code = "session_outside_workshop"

    def __init__(self, field: str, workshop: Workshop) -> None:
        super().__init__(
            _l(
                "Sesi harus berlangsung dalam rentang tanggal loka latih "
                "(%(start)s sampai %(end)s).",
                start=short_day(workshop.start_date),
                end=short_day(workshop.end_date),
            )
        )
        self.field = field


class SessionJpOutOfRangeError(WorkshopError):
    code = "session_jp_out_of_range"
    field = "jp"
    message = _l(
        "Jam pelajaran sesi antara 0 dan %(max)s JP, kelipatan setengah.",
        max=lessonhours.MAX_SESSION_JP,
    )


class LastSessionError(WorkshopError):
    code = "last_session"
    message = _l("Loka latih yang sudah diterbitkan harus memiliki setidaknya satu sesi.")


class QuotaExistsError(WorkshopError):
    code = "quota_exists"
    field = "group"
    message = _l("Kelompok ini sudah memiliki kuota. Hapus kuota lama untuk mengubahnya.")


class QuotaExceedsCapacityError(WorkshopError):
    code = "quota_exceeds_capacity"
    field = "seats"
    message = _l("Jumlah kursi semua kuota tidak boleh melebihi kapasitas loka latih.")


# Status changes


class InvalidTransitionError(LokalatihError):
    code = "invalid_transition"

    def __init__(self, current: WorkshopStatus, target: WorkshopStatus) -> None:

        super().__init__(
            _l(
                "Status tidak dapat diubah dari %(current)s ke %(target)s.",
                current=status_label(current),
                target=status_label(target),
            )
        )
        self.current, self.target = current, target


class NotReadyToPublishError(LokalatihError):
    code = "not_ready_to_publish"
    message = _l("Loka latih belum dapat diterbitkan.")


class NoSessionsError(NotReadyToPublishError):
    code = "publish_without_sessions"
    message = _l("Tambahkan setidaknya satu sesi sebelum menerbitkan loka latih.")


class VenueMissingError(NotReadyToPublishError):
    code = "publish_without_venue"
    message = _l("Isi alamat tempat sebelum menerbitkan loka latih luring atau hibrida.")


class MeetingUrlMissingError(NotReadyToPublishError):
    code = "publish_without_meeting_url"
    message = _l("Isi tautan pertemuan daring sebelum menerbitkan loka latih daring atau hibrida.")


class CancelReasonRequiredError(LokalatihError):
    code = "cancel_reason_required"
    message = _l("Tuliskan alasan pembatalan; alasan ini dikirim kepada para pendaftar.")


class SessionsNotOverError(LokalatihError):
    """Completing while a session is still ahead or under way: certificates would be issued at
    once, before anyone could attend the rest."""

    code = "sessions_not_over"

    def __init__(self, last_ends_at: str) -> None:
        super().__init__(
            _l(
                "Sesi terakhir belum berakhir (berakhir %(when)s). Loka latih dapat ditandai "
                "selesai setelah itu; untuk menandainya selesai sekarang, tuliskan alasannya.",
                when=last_ends_at,
            )
        )
