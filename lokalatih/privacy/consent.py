"""Consent to the processing of personal data (UU No. 27 Tahun 2022), per purpose and version.

A user consents to one published version of the text, one record per purpose. Publishing a new
version asks everyone to agree again: consent to an older version no longer counts as current.
"""

from __future__ import annotations

import functools
from collections.abc import Iterable
from dataclasses import dataclass

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import joinedload

from ..audit import record_event
from ..auth.sessions import consent_found_current, forget_consent_found
from ..extensions import db
from ..models import REQUIRED_PURPOSES, ConsentPurpose, ConsentRecord, ConsentVersion, User, utcnow
from ..request_memo import forget_request_memo, request_memo
from .errors import (
    EmptyConsentTextError,
    OutdatedConsentVersionError,
    RequiredConsentMissingError,
    UnchangedConsentTextError,
)

CONSENT_TEXT_MAX_LENGTH = 20_000
_REMEMBERED = "consent_statuses"

PURPOSE_LABELS = {
    ConsentPurpose.TRAINING: _l("Penyelenggaraan loka latih"),
    ConsentPurpose.EVALUATION: _l("Evaluasi program dengan statistik berpseudonim"),
    ConsentPurpose.ANNOUNCEMENTS: _l("Informasi loka latih berikutnya"),
}

PURPOSE_DESCRIPTIONS = {
    ConsentPurpose.TRAINING: _l(
        "Wajib. Data profil, pendaftaran, kehadiran, serta jawaban dan nilai pra-tes dan "
        "pasca-tes Anda diolah untuk menjalankan loka latih dan menerbitkan sertifikat atas nama "
        "Anda. Data ini dilihat oleh penyelenggara loka latih yang Anda daftari."
    ),
    ConsentPurpose.EVALUATION: _l(
        "Wajib. Nilai, kehadiran, dan sebagian data profil (provinsi, kabupaten/kota, jenis "
        "instansi, jenis kelamin) diolah menjadi statistik berpseudonim untuk menilai dampak "
        "pelatihan. Peninjau Komnas HAM tidak melihat nama, email, atau nomor telepon Anda."
    ),
    ConsentPurpose.ANNOUNCEMENTS: _l(
        "Opsional. Kami boleh mengirim email tentang loka latih HAM yang akan datang. Menolak "
        "atau menarik persetujuan ini tidak memengaruhi keikutsertaan Anda."
    ),
}

CONSENT_CHANGED_MESSAGE = _l(
    "Teks persetujuan pengolahan data pribadi telah diperbarui. Baca versi terbaru dan berikan "
    "persetujuan Anda kembali."
)

DEFAULT_CONSENT_TEXT_ID = """\
lokalatih mengolah data pribadi Anda atas dasar persetujuan, sesuai Undang-Undang Nomor 27 Tahun \
2022 tentang Pelindungan Data Pribadi.

Data yang diolah: nama untuk sertifikat, alamat email, jenis kelamin, jenis dan nama instansi, \
jabatan, nomor telepon, provinsi dan kabupaten/kota, pendaftaran, kehadiran per sesi, jawaban dan \
nilai pre-test dan post-test, serta sertifikat.

Tujuan pengolahan:
1. Penyelenggaraan loka latih (wajib): pendaftaran, pencatatan kehadiran, pre-test dan post-test, \
serta penerbitan dan verifikasi sertifikat.
2. Evaluasi program (wajib): nilai, kehadiran, dan data profil diolah menjadi statistik \
berpseudonim untuk menilai dampak pelatihan.
3. Informasi loka latih berikutnya (opsional): email tentang loka latih HAM yang akan datang.

Siapa yang melihat data Anda: penyelenggara loka latih yang Anda daftari melihat profil, \
kehadiran, dan nilai Anda untuk loka latih tersebut. Peninjau Komnas HAM hanya melihat statistik \
berpseudonim, tanpa nama, email, atau nomor telepon. Data Anda tidak dijual dan tidak dibagikan \
kepada pihak lain, kecuali diwajibkan oleh peraturan perundang-undangan.

Lama penyimpanan: selama akun Anda aktif, dan paling lama lima tahun setelah loka latih terakhir \
yang Anda ikuti. Setelah itu, atau ketika akun dihapus, data pribadi Anda dihapus dan hanya \
statistik anonim yang disimpan.

Hak Anda: mengakses dan memperoleh salinan data Anda, memperbaiki data yang keliru, meminta \
penghapusan data, dan menarik persetujuan kapan saja melalui halaman Profil dan Persetujuan. \
Tanpa persetujuan untuk tujuan wajib, Anda tidak dapat mendaftar loka latih; penarikan tidak \
memengaruhi pengolahan sah yang telah dilakukan sebelumnya."""

DEFAULT_CONSENT_TEXT_EN = """\
lokalatih processes your personal data on the basis of your consent, under Indonesian Law No. 27 \
of 2022 on Personal Data Protection.

Data processed: your name as it appears on certificates, email address, gender, type and name of \
institution, position, phone number, province and regency/city, registrations, attendance per \
session, pre-test and post-test answers and scores, and certificates.

Purposes:
1. Running the workshops (required): registration, attendance, pre-tests and post-tests, and \
issuing and verifying certificates.
2. Programme evaluation (required): scores, attendance and profile data are turned into \
pseudonymous statistics to assess the impact of the training.
3. News of future workshops (optional): emails about upcoming human-rights workshops.

Who sees your data: the organizers of the workshops you register for see your profile, \
attendance and scores for those workshops. Komnas HAM reviewers see only pseudonymous \
statistics, without names, email addresses or phone numbers. Your data is never sold or \
shared with others unless the law requires it.

How long it is kept: while your account is active, and at most five years after the last \
workshop you took part in. After that, or when your account is deleted, your personal data is \
erased and only anonymous statistics are kept.

Your rights: to access and obtain a copy of your data, to correct inaccurate data, to request its \
deletion, and to withdraw your consent at any time from the Profile and Consent pages. Without \
consent to the required purposes you cannot register for workshops; withdrawing does not affect \
lawful processing carried out before."""


@dataclass(frozen=True)
class ConsentStatus:
    """Where a user stands against the current version of the consent text."""

    version: int | None  # the current text's number; None before any text is published
    given: frozenset[ConsentPurpose]  # given on the current version and not withdrawn
    agreed_to_older_version: bool  # all required purposes on an earlier version, not withdrawn

    @property
    def is_current(self) -> bool:
        return self.version is not None and all(p in self.given for p in REQUIRED_PURPOSES)

    @property
    def needs_renewal(self) -> bool:
        """The text changed since the user last agreed: they must review it and agree again."""
        return self.version is not None and not self.is_current and self.agreed_to_older_version


def current_consent_version() -> ConsentVersion | None:
    return db.session.scalar(
        sa.select(ConsentVersion).order_by(ConsentVersion.version.desc()).limit(1)
    )


def consent_status(user: User) -> ConsentStatus:
    """The user's consent on the current text. Remembered for the rest of the request: every
    signed-in page asks for it (the notice in the layout) and the register box asks again; the
    functions below that change consent forget it."""
    remembered = _remembered_statuses()
    if remembered is None:
        return _read_consent_status(user)
    if user.id not in remembered:
        remembered[user.id] = _read_consent_status(user)
    return remembered[user.id]


def _remembered_statuses() -> dict[int, ConsentStatus] | None:
    return request_memo(_REMEMBERED)


def _forget_consent_statuses() -> None:
    forget_consent_found()
    forget_request_memo(_REMEMBERED)


@functools.cache
def _status_statement() -> sa.Select:
    """Built once (it runs on every signed-in page): the current text's number, next to each
    purpose the user gave and has not withdrawn, with the number of the text it was given on."""
    latest = (
        sa.select(ConsentVersion.version)
        .order_by(ConsentVersion.version.desc())
        .limit(1)
        .subquery()
    )
    given_on = (
        sa.select(ConsentRecord.purpose, ConsentVersion.version)
        .join(ConsentVersion, ConsentRecord.version_id == ConsentVersion.id)
        .where(
            ConsentRecord.user_id == sa.bindparam("user_id"), ConsentRecord.withdrawn_at.is_(None)
        )
        .subquery()
    )
    return sa.select(latest.c.version, given_on.c.purpose, given_on.c.version).outerjoin(
        given_on, sa.true()
    )


def _read_consent_status(user: User) -> ConsentStatus:
    rows = db.session.execute(_status_statement(), {"user_id": user.id}).all()
    current_number = rows[0][0] if rows else None
    records = [(purpose, number) for _, purpose, number in rows if purpose is not None]
    given = frozenset(purpose for purpose, number in records if number == current_number)
    older: dict[int, set[ConsentPurpose]] = {}
    for purpose, number in records:
        if number != current_number:
            older.setdefault(number, set()).add(purpose)
    agreed_before = any(set(REQUIRED_PURPOSES) <= purposes for purposes in older.values())
    return ConsentStatus(version=current_number, given=given, agreed_to_older_version=agreed_before)


def has_current_consent(user: User) -> bool:
    """All required purposes given on the latest version and not withdrawn."""
    return consent_found_current(user.id) or consent_status(user).is_current


def consent_notice_needed(user: User | None) -> bool:
    """True when a signed-in user agreed to an earlier text and must review the new one."""
    if user is None or not getattr(user, "is_authenticated", False):
        return False
    if consent_found_current(user.id):  # the login loader asked already: no statement
        return False
    return consent_status(user).needs_renewal


def consent_history(user: User) -> list[ConsentRecord]:
    """Every consent record of the user, newest version first, purposes in their usual order."""
    records = db.session.scalars(
        sa.select(ConsentRecord)
        .options(joinedload(ConsentRecord.version))
        .where(ConsentRecord.user_id == user.id)
    ).all()
    order = {purpose: index for index, purpose in enumerate(ConsentPurpose)}
    return sorted(records, key=lambda r: (-r.version.version, order[r.purpose]))


def give_consent(
    user: User,
    purposes: Iterable[ConsentPurpose],
    version: ConsentVersion,
    *,
    ip: str | None = None,
) -> list[ConsentPurpose]:
    """Record the user's choice for `version`: ticked purposes given, unticked ones withdrawn.

    Returns the purposes newly given. Submitting the same choice twice changes nothing.
    """
    _forget_consent_statuses()
    chosen = set(purposes)
    if not set(REQUIRED_PURPOSES) <= chosen:
        raise RequiredConsentMissingError()
    current = current_consent_version()
    if current is None or current.id != version.id:
        raise OutdatedConsentVersionError()
    existing = _records_for(user, version)
    now = utcnow()
    newly_given: list[ConsentPurpose] = []
    for purpose in ConsentPurpose:
        record = existing.get(purpose)
        if purpose in chosen and (record is None or record.withdrawn_at is not None):
            _give(user, version, purpose, record, now)
            newly_given.append(purpose)
        elif purpose not in chosen and record is not None and record.withdrawn_at is None:
            record.withdrawn_at = now
            _audit_withdrawal(user, purpose, [version.version], ip)
    db.session.flush()
    if newly_given:
        record_event(
            "consent_given",
            actor=user,
            target=user,
            details={"version": version.version, "purposes": [str(p) for p in newly_given]},
            ip=ip,
        )
    return newly_given


def withdraw_consent(user: User, purpose: ConsentPurpose, *, ip: str | None = None) -> bool:
    """Withdraw `purpose` on every version the user gave it; False if nothing was given."""
    _forget_consent_statuses()
    records = db.session.scalars(
        sa.select(ConsentRecord)
        .options(joinedload(ConsentRecord.version))
        .where(
            ConsentRecord.user_id == user.id,
            ConsentRecord.purpose == purpose,
            ConsentRecord.withdrawn_at.is_(None),
        )
    ).all()
    if not records:
        return False
    now = utcnow()
    for record in records:
        record.withdrawn_at = now
    db.session.flush()
    _audit_withdrawal(user, purpose, sorted(r.version.version for r in records), ip)
    return True


def publish_consent_version(
    body_id: str, body_en: str, published_by: User | None, *, ip: str | None = None
) -> ConsentVersion:
    """Publish the next version of the text; everyone must agree to it again."""
    _forget_consent_statuses()
    body_id, body_en = _normalise_text(body_id), _normalise_text(body_en)
    if not body_id or not body_en:
        raise EmptyConsentTextError()
    current = current_consent_version()
    if current is not None and (current.body_id, current.body_en) == (body_id, body_en):
        raise UnchangedConsentTextError()
    version = ConsentVersion(
        version=(current.version if current is not None else 0) + 1,
        body_id=body_id,
        body_en=body_en,
        published_at=utcnow(),
        published_by_id=published_by.id if published_by is not None else None,
    )
    db.session.add(version)
    db.session.flush()
    record_event(
        "consent_version_published",
        actor=published_by,
        target=version,
        details={"version": version.version},
        ip=ip,
    )
    return version


def list_consent_versions() -> list[tuple[ConsentVersion, int]]:
    """Every version, newest first, with how many users gave all required purposes on it."""
    agreed = (
        sa.select(ConsentRecord.version_id, ConsentRecord.user_id)
        .where(
            ConsentRecord.purpose.in_(REQUIRED_PURPOSES),
            ConsentRecord.withdrawn_at.is_(None),
        )
        .group_by(ConsentRecord.version_id, ConsentRecord.user_id)
        .having(sa.func.count() == len(REQUIRED_PURPOSES))
        .subquery()
    )
    counts = (
        sa.select(agreed.c.version_id, sa.func.count().label("users"))
        .group_by(agreed.c.version_id)
        .subquery()
    )
    rows = db.session.execute(
        sa.select(ConsentVersion, sa.func.coalesce(counts.c.users, 0))
        .outerjoin(counts, counts.c.version_id == ConsentVersion.id)
        .order_by(ConsentVersion.version.desc())
    ).all()
    return [(version, users) for version, users in rows]


def text_paragraphs(text: str) -> list[list[str]]:
    """Split plain text into paragraphs (blank lines) of lines, for escaped HTML rendering."""
    blocks = _normalise_text(text).split("\n\n")
    return [block.split("\n") for block in blocks if block.strip()]


def _normalise_text(text: str | None) -> str:
    return (text or "").replace("\r\n", "\n").replace("\r", "\n").strip()


def _records_for(user: User, version: ConsentVersion) -> dict[ConsentPurpose, ConsentRecord]:
    records = db.session.scalars(
        sa.select(ConsentRecord).where(
            ConsentRecord.user_id == user.id, ConsentRecord.version_id == version.id
        )
    )
    return {record.purpose: record for record in records}


def _give(
    user: User,
    version: ConsentVersion,
    purpose: ConsentPurpose,
    record: ConsentRecord | None,
    now,
) -> None:
    if record is not None:  # given earlier on this version, then withdrawn: give it again
        record.given_at = now
        record.withdrawn_at = None
        return
    # Two submissions at once both see no record; the unique constraint keeps one row and the
    # second insert does nothing instead of failing the request.
    insert = (
        postgresql.insert if db.session.get_bind().dialect.name == "postgresql" else sqlite.insert
    )
    db.session.execute(
        insert(ConsentRecord)
        .values(user_id=user.id, version_id=version.id, purpose=purpose, given_at=now)
        .on_conflict_do_nothing(index_elements=["user_id", "version_id", "purpose"])
    )


def _audit_withdrawal(
    user: User, purpose: ConsentPurpose, versions: list[int], ip: str | None
) -> None:
    record_event(
        "consent_withdrawn",
        actor=user,
        target=user,
        details={"purpose": str(purpose), "versions": versions},
        ip=ip,
    )
