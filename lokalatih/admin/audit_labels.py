"""What the audit log shows instead of codes: each action, object type and detail in words.

The codes stay in the database (they are what the search matches); the page shows these labels,
with the code beside the action for whoever needs to search for it. A test checks that every
action the code records has a label here."""

from __future__ import annotations

from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

from flask_babel import lazy_gettext as _l

from ..extensions import db
from ..labels import GENDER_LABELS, INSTITUTION_TYPE_LABELS, ROLE_LABELS
from ..models import Gender, InstitutionType, Region, RegistrationStatus, Role, WorkshopStatus
from ..privacy.consent import PURPOSE_LABELS
from ..registrations.registrants import STATUS_LABELS as REGISTRATION_STATUS_LABELS
from ..workshops.labels import STATUS_LABELS as WORKSHOP_STATUS_LABELS

ACTION_LABELS = {
    "action_plans_exported": _l("Laporan rencana aksi diunduh"),
    "account_erased": _l("Akun dihapus"),
    "account_locked": _l("Akun dikunci sementara"),
    "attendance_exported": _l("Daftar hadir diunduh"),
    "certificate_issued": _l("Sertifikat diterbitkan"),
    "certificate_reissued": _l("Sertifikat diterbitkan ulang"),
    "certificate_revoked": _l("Sertifikat dicabut"),
    "certificate_rule_changed": _l("Aturan sertifikat diubah"),
    "certificate_image_uploaded": _l("Gambar sertifikat diunggah"),
    "certificate_image_removed": _l("Gambar sertifikat dihapus"),
    "checkin_marked": _l("Kehadiran ditandai penyelenggara"),
    "checkin_unmarked": _l("Tanda kehadiran dibatalkan"),
    "checkins_scanned": _l("QR pribadi peserta dipindai"),
    "consent_given": _l("Persetujuan diberikan"),
    "consent_version_published": _l("Versi teks persetujuan diterbitkan"),
    "consent_withdrawn": _l("Persetujuan ditarik"),
    "evaluation_changed": _l("Evaluasi loka latih diubah"),
    "email_retried": _l("Email dijadwalkan ulang"),
    "email_verified": _l("Email diverifikasi"),
    "invitation_accepted": _l("Undangan staf diterima, sandi dibuat"),
    "login": _l("Masuk"),
    "login_failed": _l("Gagal masuk"),
    "login_password_ok": _l("Sandi benar, menunggu kode dua langkah"),
    "logout": _l("Keluar"),
    "password_change_failed": _l("Gagal mengganti sandi"),
    "password_changed": _l("Sandi diganti"),
    "password_reset": _l("Sandi diatur ulang"),
    "password_reset_requested": _l("Atur ulang sandi diminta"),
    "personal_data_exported": _l("Data pribadi diunduh"),
    "profile_updated": _l("Profil diperbarui"),
    "question_bank_exported": _l("Bank soal diunduh"),
    "question_bank_imported": _l("Bank soal diimpor"),
    "question_created": _l("Soal ditambahkan"),
    "question_restored": _l("Soal dipulihkan"),
    "question_retired": _l("Soal dipensiunkan"),
    "question_updated": _l("Soal diubah"),
    "registrants_emailed": _l("Email dikirim ke pendaftar"),
    "registrants_exported": _l("Daftar pendaftar diunduh"),
    "registration_approved": _l("Pendaftaran disetujui"),
    "registration_cancelled": _l("Pendaftaran dibatalkan"),
    "registration_created": _l("Pendaftaran dibuat"),
    "registration_promoted": _l("Dinaikkan dari daftar tunggu"),
    "quiz_questions_copied": _l("Soal pra-tes disalin ke pasca-tes"),
    "registration_rejected": _l("Pendaftaran ditolak"),
    "registration_walk_in": _l("Peserta langsung ditambahkan oleh penyelenggara"),
    "report_exported": _l("Laporan diunduh"),
    "role_changed": _l("Peran diubah"),
    "signup": _l("Akun didaftarkan"),
    "signup_existing_address": _l("Pendaftaran akun dengan email yang sudah terdaftar"),
    "staff_invited": _l("Akun staf dibuat oleh admin, undangan dikirim"),
    "state_guard_overridden": _l("Pengaman status dilewati dengan alasan"),
    "theme_activated": _l("Tema diaktifkan"),
    "theme_created": _l("Tema ditambahkan"),
    "theme_deactivated": _l("Tema dinonaktifkan"),
    "theme_moved": _l("Urutan tema diubah"),
    "theme_renamed": _l("Nama tema diubah"),
    "two_factor_disabled": _l("Verifikasi dua langkah dinonaktifkan"),
    "two_factor_enabled": _l("Verifikasi dua langkah diaktifkan"),
    "two_factor_failed": _l("Kode dua langkah salah"),
    "two_factor_recovery_code_used": _l("Kode pemulihan dipakai"),
    "two_factor_recovery_codes_regenerated": _l("Kode pemulihan dibuat ulang"),
    "two_factor_reset": _l("Verifikasi dua langkah diatur ulang oleh admin"),
    "user_created": _l("Akun staf dibuat"),
    "verification_resent": _l("Email verifikasi dikirim ulang oleh admin"),
    "workshop_cloned": _l("Loka latih disalin"),
    "workshop_created": _l("Loka latih dibuat"),
    "workshop_organizer_added": _l("Penyelenggara pendamping ditambahkan"),
    "workshop_status_changed": _l("Status loka latih diubah"),
    "workshop_updated": _l("Loka latih diubah"),
}

OBJECT_LABELS = {
    "User": _l("Akun"),
    "Profile": _l("Profil"),
    "Workshop": _l("Loka latih"),
    "WorkshopSession": _l("Sesi"),
    "Registration": _l("Pendaftaran"),
    "Certificate": _l("Sertifikat"),
    "CheckIn": _l("Kehadiran"),
    "Question": _l("Soal"),
    "Quiz": _l("Tes"),
    "ConsentVersion": _l("Teks persetujuan"),
    "ConsentRecord": _l("Persetujuan"),
    "OutboxMessage": _l("Email"),
    "Theme": _l("Tema KKPHAM"),
}

DETAIL_LABELS = {
    "reason": _l("Alasan"),
    "from": _l("Dari"),
    "to": _l("Menjadi"),
    "role": _l("Peran"),
    "old_role": _l("Peran lama"),
    "new_role": _l("Peran baru"),
    "status": _l("Status"),
    "format": _l("Format"),
    "rows": _l("Baris"),
    "filters": _l("Filter"),
    "fields": _l("Isian"),
    "purpose": _l("Tujuan"),
    "version": _l("Versi"),
    "count": _l("Jumlah"),
    "selected": _l("Soal dipilih"),
    "added": _l("Ditambahkan"),
    "guard": _l("Pengaman"),
    "stage": _l("Tahap"),
    "automatic": _l("Otomatis"),
    "province": _l("Provinsi"),
    "regency": _l("Kabupaten/kota"),
    "gender": _l("Jenis kelamin"),
    "institution_type": _l("Jenis instansi"),
    "number": _l("Nomor"),
    "email": _l("Email"),
    "session_id": _l("Sesi"),
    "registration_id": _l("Pendaftaran"),
    "checkin_opens_at": _l("Presensi dibuka"),
    "last_session_ends_at": _l("Sesi terakhir berakhir"),
    "code": _l("Kode"),
    "name_id": _l("Nama (Indonesia)"),
    "name_en": _l("Nama (Inggris)"),
    "invitation": _l("Undangan"),
}

# The state guards an organizer may pass with a reason (lokalatih/overrides.py).
GUARD_LABELS = {
    "complete_before_last_session_ends": _l("Menandai selesai sebelum sesi terakhir berakhir"),
    "mark_before_checkin_opens": _l("Menandai hadir sebelum presensi dibuka"),
}
# Moments in details are stored in UTC (ISO 8601); the log shows them in its own zone.
DETAIL_ZONE = ZoneInfo("Asia/Jakarta")

_VALUE_LABELS: dict[str, Any] = {
    **{member.value: GENDER_LABELS[member] for member in Gender if member in GENDER_LABELS},
    **{
        member.value: INSTITUTION_TYPE_LABELS[member]
        for member in InstitutionType
        if member in INSTITUTION_TYPE_LABELS
    },
    **{member.value: ROLE_LABELS[member] for member in Role if member in ROLE_LABELS},
    **{
        member.value: WORKSHOP_STATUS_LABELS[member]
        for member in WorkshopStatus
        if member in WORKSHOP_STATUS_LABELS
    },
    **{
        member.value: REGISTRATION_STATUS_LABELS[member]
        for member in RegistrationStatus
        if member in REGISTRATION_STATUS_LABELS
    },
    **{str(purpose): label for purpose, label in PURPOSE_LABELS.items()},
    **GUARD_LABELS,
}


def action_label(action: str) -> str:
    return str(ACTION_LABELS.get(action, action))


def object_label(object_type: str | None) -> str:
    return str(OBJECT_LABELS.get(object_type, object_type)) if object_type else "—"


def _value(key: str, value: Any) -> str:
    if isinstance(value, bool):
        return str(_l("ya") if value else _l("tidak"))
    if isinstance(value, dict):
        return ", ".join(f"{label}: {text}" for label, text in detail_items(value))
    if isinstance(value, list | tuple):
        return ", ".join(_value(key, item) for item in value)
    if key.endswith("_at") and isinstance(value, str):
        try:
            moment = datetime.fromisoformat(value).astimezone(DETAIL_ZONE)
        except ValueError:
            return value
        return moment.strftime("%d-%m-%Y %H.%M WIB")
    if key in ("province", "regency") and isinstance(value, str):
        region = db.session.get(Region, value)
        return region.name if region is not None else value
    if isinstance(value, str) and value in _VALUE_LABELS:
        return str(_VALUE_LABELS[value])
    return str(value)


def detail_items(details: dict | None) -> list[tuple[str, str]]:
    """The details of an event as (label, text) pairs, in a stable order."""
    if not details:
        return []
    return [
        (str(DETAIL_LABELS.get(key, key.replace("_", " "))), _value(key, value))
        for key, value in sorted(details.items())
    ]
