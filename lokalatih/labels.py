"""Words for the codes stored on people: gender, institution type and role, in one place.

Every page, export, form and the audit log reads these tables, so a person's institution type
reads the same everywhere (and a code never shows). Labels of a feature's own states (a
workshop's status, a registration's) stay with the feature that owns them.
"""

from __future__ import annotations

from flask_babel import lazy_gettext as _l

from .models import Gender, InstitutionType, Role

GENDER_LABELS = {
    Gender.FEMALE: _l("Perempuan"),
    Gender.MALE: _l("Laki-laki"),
}

INSTITUTION_TYPE_LABELS = {
    InstitutionType.LOCAL_GOVERNMENT: _l("Pemerintah daerah (OPD)"),
    InstitutionType.DPRD: _l("DPRD"),
    InstitutionType.MINISTRY: _l("Kantor wilayah/kementerian"),
    InstitutionType.KOMNAS_HAM: _l("Komnas HAM"),
    InstitutionType.CIVIL_SOCIETY: _l("Organisasi masyarakat sipil"),
    InstitutionType.ACADEMIA: _l("Akademisi"),
    InstitutionType.OTHER: _l("Lainnya"),
}

ROLE_LABELS = {
    Role.PARTICIPANT: _l("Peserta"),
    Role.ORGANIZER: _l("Penyelenggara"),
    Role.REVIEWER: _l("Peninjau"),
    Role.ADMIN: _l("Admin"),
}
