"""seed consent text version 1

Revision ID: 0003_consent_v1
Revises: 0002_regions
Create Date: 2026-11-23 17:00:00

The text is copied here (not imported from the application) so this migration stays as it was
written however the application changes. Admins publish later versions from /admin/persetujuan.
"""

from datetime import UTC, datetime

import sqlalchemy as sa
from alembic import op

revision = "0003_consent_v1"
down_revision = "0002_regions"
branch_labels = None
depends_on = None

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

consent_versions = sa.table(
    "consent_versions",
    sa.column("version", sa.Integer),
    sa.column("body_id", sa.Text),
    sa.column("body_en", sa.Text),
    sa.column("published_at", sa.DateTime),
    sa.column("published_by_id", sa.Integer),
)


def upgrade():
    op.bulk_insert(
        consent_versions,
        [
            {
                "version": 1,
                "body_id": DEFAULT_CONSENT_TEXT_ID,
                "body_en": DEFAULT_CONSENT_TEXT_EN,
                "published_at": datetime.now(UTC).replace(tzinfo=None),
                "published_by_id": None,
            }
        ],
    )


def downgrade():
    op.execute(consent_versions.delete().where(consent_versions.c.version == 1))
