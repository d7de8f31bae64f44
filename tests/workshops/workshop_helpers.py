"""Values and small helpers shared by the workshop tests."""

from __future__ import annotations

from datetime import UTC, datetime

MEETING_URL = "https://meet.contoh.id/rahasia-loka-latih"


def utc(*args: int) -> datetime:
    return datetime(*args, tzinfo=UTC)


def workshop_form(**overrides) -> dict:
    """A valid create/edit form submission, changed by `overrides` (None removes a field)."""
    data = {
        "title": "Loka Latih Kabupaten/Kota HAM bagi Pemerintah Daerah",
        "summary": "Pelatihan HAM bagi aparatur pemerintah daerah dan aktivis masyarakat sipil.",
        "description": "Materi **DUHAM**, KKPHAM dan SDG 11.",
        "topics": "KKPHAM, Duham , kkpham",
        "partners": "INFID ,Komnas HAM,",
        "target_audience": "Aparatur OPD, anggota DPRD, aktivis masyarakat sipil",
        "mode": "hybrid",
        "venue": "Aula Kantor Wilayah Sulawesi Selatan, Makassar",
        "meeting_url": "https://meet.contoh.id/loka-latih",
        "province_code": "73",
        "timezone": "WITA",
        "start_date": "2030-12-07",
        "end_date": "2030-12-08",
        "registration_opens_at": "2030-11-01T08:00",
        "registration_closes_at": "2030-12-06T17:00",
        "capacity": "40",
        "waitlist_enabled": "y",
    }
    data.update(overrides)
    return {key: value for key, value in data.items() if value is not None}
