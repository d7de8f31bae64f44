"""What a certificate attests, frozen when it is issued.

Renaming a workshop, moving its dates or changing its organizers, partners or signatories after
certificates were issued must not change what those certificates say: the PDF and the
verification page read the copy kept on the certificate (`Certificate.attested`), not the
workshop as it is now. Certificates issued before the copy existed (migration 0012), and the
large benchmark demo's bulk-written ones, fall back to the workshop as it is now.

Logos and signature images are named by their row's id and SHA-256: rows are never changed (a
new upload adds a row), so the PDF prints the image the certificate was issued with."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

import sqlalchemy as sa

from .. import lessonhours
from ..extensions import db
from ..models import (
    Certificate,
    CertificateImage,
    ImageKind,
    Registration,
    Workshop,
    WorkshopMode,
)


@dataclass(frozen=True)
class Attested:
    title: str
    start_date: date
    end_date: date
    training_hours: int | None
    mode: WorkshopMode
    venue: str
    organizers: list[str] = field(default_factory=list)
    partners: list[str] = field(default_factory=list)
    signatories: list[dict] = field(default_factory=list)  # name, position, optional signature
    # The issuing institutions chosen for the workshop; empty: the organizers' print instead.
    issuers: list[str] = field(default_factory=list)
    logos: list[dict] = field(default_factory=list)  # [{"image_id", "sha256"}], in issuer order
    # The JP of the sessions the holder attended, in halves; None on certificates issued before
    # sessions carried JP, or for workshops whose sessions carry none: they print training_hours.
    attended_jp_halves: int | None = None


def organizer_names(workshop: Workshop) -> list[str]:
    """The organizers' institutions (or their names when no institution is given), once each."""
    names: list[str] = []
    for user in workshop.organizers:
        profile = user.profile
        name = profile and (profile.institution_name or profile.full_name)
        if name and name not in names:
            names.append(name)
    return names


def issuer_names(workshop: Workshop) -> list[str]:
    return [name for name in (workshop.issuing_institutions or []) if name]


def current_images(workshop: Workshop) -> dict[tuple[ImageKind, int], CertificateImage]:
    """The workshop's images in use, by (kind, slot)."""
    if workshop.id is None:
        return {}
    rows = db.session.scalars(
        sa.select(CertificateImage).where(
            CertificateImage.workshop_id == workshop.id, CertificateImage.retired_at.is_(None)
        )
    )
    return {(image.kind, image.slot): image for image in rows}


def image_ref(image: CertificateImage | None) -> dict | None:
    return {"image_id": image.id, "sha256": image.sha256} if image is not None else None


def snapshot(workshop: Workshop, registration: Registration | None = None) -> dict:
    """The workshop as a certificate issued now attests it, in a JSON-safe form. With the
    registration, and when the workshop's sessions carry JP, the JP that participant attended
    (the sum over the sessions they checked in to) replaces the workshop's single figure."""
    data = {
        "title": workshop.title,
        "start_date": workshop.start_date.isoformat(),
        "end_date": workshop.end_date.isoformat(),
        "training_hours": workshop.training_hours,
        "mode": workshop.mode.value,
        "venue": workshop.venue or "",
        "organizers": organizer_names(workshop),
        "partners": workshop.partner_list,
        "signatories": [],
        "issuers": issuer_names(workshop),
        "logos": [],
    }
    images = current_images(workshop)
    for slot, item in enumerate(workshop.signatories or [], start=1):
        if item.get("name"):
            entry = {"name": item.get("name", ""), "position": item.get("position", "")}
            signature = image_ref(images.get((ImageKind.SIGNATURE, slot)))
            if signature:
                entry["signature"] = signature
            data["signatories"].append(entry)
    for slot, name in enumerate(workshop.issuing_institutions or [], start=1):
        logo = image_ref(images.get((ImageKind.LOGO, slot))) if name else None
        if logo:
            data["logos"].append(logo)
    if registration is not None and any(
        lessonhours.session_halves(session) for session in workshop.sessions
    ):
        data["attended_jp_halves"] = lessonhours.attended_of(registration).halves
    return data


def attested(certificate: Certificate) -> Attested:
    data = certificate.attested or snapshot(certificate.registration.workshop)
    return Attested(
        title=data["title"],
        start_date=date.fromisoformat(data["start_date"]),
        end_date=date.fromisoformat(data["end_date"]),
        training_hours=data.get("training_hours"),
        mode=WorkshopMode(data["mode"]),
        venue=data.get("venue") or "",
        organizers=list(data.get("organizers") or []),
        partners=list(data.get("partners") or []),
        signatories=list(data.get("signatories") or []),
        attended_jp_halves=data.get("attended_jp_halves"),
        issuers=list(data.get("issuers") or []),
        logos=list(data.get("logos") or []),
    )


def image_bytes(ref: dict | None) -> bytes | None:
    """The PNG an attestation names, when the row still holds exactly the bytes issued."""
    if not ref:
        return None
    image = db.session.get(CertificateImage, ref.get("image_id"))
    if image is None or image.sha256 != ref.get("sha256"):
        return None
    return image.png
