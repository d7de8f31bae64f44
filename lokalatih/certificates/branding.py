"""Who issues a workshop's certificates and how they look: the issuing institutions' names and
logos, and the signatories' signature images.

An uploaded image is only trusted after Pillow has decoded it as a PNG or JPEG of sane size; it is
then re-encoded to a fresh PNG (no metadata, no trailing bytes: a file that is also something else
stops being so). An image's bytes never change: a new upload adds a row and retires the previous
one, and removing deletes a row only when no issued certificate names it (attestation.py).

An image belongs to the name it was uploaded for. When the rows are saved again it follows that
name to its new position, and when the name is gone or changed it is removed: a signature never
prints under someone else's name."""

from __future__ import annotations

import hashlib
import io
import warnings
from dataclasses import dataclass

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l
from PIL import Image, ImageOps, UnidentifiedImageError

from ..audit import record_event
from ..extensions import db
from ..models import Certificate, CertificateImage, ImageKind, Registration, User, Workshop, utcnow
from .attestation import current_images
from .errors import ImageRejectedError
from .services import CertificateRule, save_rule

MAX_INSTITUTIONS = 3
MAX_IMAGE_BYTES = 1024 * 1024  # 1 MB
MIN_SIDE, MAX_SIDE = 16, 4000  # pixels, as uploaded
MAX_PIXELS = 12_000_000  # a decompression bomb is refused before decoding
STORED_MAX_SIDE = 1200  # larger images are scaled down: the PDF never needs more
ACCEPTED_FORMATS = {"PNG", "JPEG"}


NOT_AN_IMAGE = _l("Berkas ini bukan gambar PNG atau JPEG yang dapat dibaca.")
TOO_LARGE = _l("Berkas gambar lebih besar dari 1 MB.")
BAD_SIZE = _l(
    "Ukuran gambar harus antara %(min)s dan %(max)s piksel per sisi.", min=MIN_SIDE, max=MAX_SIDE
)


NO_NAME = {
    ImageKind.LOGO: _l("Isi nama instansi penerbit untuk logo ini."),
    ImageKind.SIGNATURE: _l("Isi nama penanda tangan untuk tanda tangan ini."),
}


@dataclass(frozen=True)
class PreparedImage:
    png: bytes
    width: int
    height: int
    sha256: str


@dataclass(frozen=True)
class Upload:
    """One file from the settings form: which image it becomes and the form field it came in."""

    kind: ImageKind
    slot: int
    data: bytes
    field: str


def prepare_image(data: bytes, field: str | None = None) -> PreparedImage:
    """`data` decoded as PNG or JPEG, checked and re-encoded as a PNG; ImageRejectedError if not."""
    if len(data) > MAX_IMAGE_BYTES:
        raise ImageRejectedError(TOO_LARGE, field)
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            with Image.open(io.BytesIO(data), formats=sorted(ACCEPTED_FORMATS)) as image:
                width, height = image.size
                if not (min(width, height) >= MIN_SIDE and max(width, height) <= MAX_SIDE):
                    raise ImageRejectedError(BAD_SIZE, field)
                if width * height > MAX_PIXELS:
                    raise ImageRejectedError(BAD_SIZE, field)
                image.load()
                picture = ImageOps.exif_transpose(image)
                has_alpha = picture.mode in ("RGBA", "LA", "PA") or "transparency" in picture.info
                picture = picture.convert("RGBA" if has_alpha else "RGB")
                picture.thumbnail((STORED_MAX_SIDE, STORED_MAX_SIDE))
                output = io.BytesIO()
                picture.save(output, format="PNG", optimize=True)  # no metadata carried over
    except ImageRejectedError:
        raise
    except (UnidentifiedImageError, OSError, ValueError, SyntaxError, Warning) as error:
        raise ImageRejectedError(NOT_AN_IMAGE, field) from error
    png = output.getvalue()
    return PreparedImage(png, picture.width, picture.height, hashlib.sha256(png).hexdigest())


def clean_institutions(names: list[str]) -> list[str]:
    """Up to three names, each trimmed and with inner spaces collapsed, blanks dropped."""
    cleaned = [" ".join((name or "").split()) for name in names]
    return [name for name in cleaned if name][:MAX_INSTITUTIONS]


def save_settings(
    workshop: Workshop,
    rule: CertificateRule,
    institutions: list[str],
    uploads: list[Upload],
    by: User,
    ip: str | None = None,
) -> None:
    """The certificate rule, the issuing institutions and any uploaded images, all or nothing:
    every image is checked before anything is stored."""
    prepared = [(upload, prepare_image(upload.data, upload.field)) for upload in uploads]
    workshop.issuing_institutions = clean_institutions(institutions) or None
    save_rule(workshop, rule, by, ip=ip)
    names = {
        ImageKind.LOGO: list(workshop.issuing_institutions or []),
        ImageKind.SIGNATURE: [item["name"] for item in workshop.signatories or []],
    }
    for upload, _image in prepared:
        if upload.slot > len(names[upload.kind]):
            raise ImageRejectedError(NO_NAME[upload.kind], upload.field)
    _follow_names(workshop, names, by, ip)
    for upload, image in prepared:
        label = names[upload.kind][upload.slot - 1]
        _store_image(workshop, upload.kind, upload.slot, label, image, by, ip)


def _follow_names(
    workshop: Workshop, names: dict[ImageKind, list[str]], by: User, ip: str | None
) -> None:
    """Move each image to where its name now stands; remove those whose name is gone."""
    taken: set[tuple[ImageKind, int]] = set()
    for (kind, _slot), image in sorted(current_images(workshop).items()):
        slot = names[kind].index(image.label) + 1 if image.label in names[kind] else None
        if slot is None or (kind, slot) in taken:
            remove_image(image, by, ip, reason="name_changed")
            continue
        taken.add((kind, slot))
        image.slot = slot
    db.session.flush()


def _store_image(
    workshop: Workshop,
    kind: ImageKind,
    slot: int,
    label: str,
    image: PreparedImage,
    by: User,
    ip: str | None,
) -> CertificateImage:
    previous = current_images(workshop).get((kind, slot))
    if previous is not None:
        _retire_or_delete(previous)
    row = CertificateImage(
        workshop_id=workshop.id,
        kind=kind,
        slot=slot,
        label=label,
        png=image.png,
        sha256=image.sha256,
        width=image.width,
        height=image.height,
        uploaded_by_id=by.id,
    )
    db.session.add(row)
    db.session.flush()
    record_event(
        "certificate_image_uploaded",
        actor=by,
        target=workshop,
        details={"kind": kind.value, "slot": slot, "image_id": row.id, "sha256": image.sha256},
        ip=ip,
    )
    return row


def get_image(workshop: Workshop, image_id: int) -> CertificateImage | None:
    """One of the workshop's images in use, or None."""
    image = db.session.get(CertificateImage, image_id)
    if image is None or image.workshop_id != workshop.id or image.retired_at is not None:
        return None
    return image


def remove_image(
    image: CertificateImage, by: User, ip: str | None = None, reason: str = "removed"
) -> None:
    """Stop printing the image on certificates issued from now on."""
    record_event(
        "certificate_image_removed",
        actor=by,
        target=db.session.get(Workshop, image.workshop_id),
        details={
            "kind": image.kind.value,
            "slot": image.slot,
            "image_id": image.id,
            "label": image.label,
            "reason": reason,
        },
        ip=ip,
    )
    _retire_or_delete(image)


def is_attested(image: CertificateImage) -> bool:
    """Whether an issued certificate of the workshop names this image."""
    attestations = db.session.scalars(
        sa.select(Certificate.attested)
        .join(Registration, Certificate.registration_id == Registration.id)
        .where(Registration.workshop_id == image.workshop_id, Certificate.attested.is_not(None))
    )
    for data in attestations:
        refs = [*(data.get("logos") or [])]
        refs += [item.get("signature") for item in data.get("signatories") or []]
        if any(ref and ref.get("image_id") == image.id for ref in refs):
            return True
    return False


def _retire_or_delete(image: CertificateImage) -> None:
    if is_attested(image):
        image.retired_at = utcnow()  # issued certificates still print it
    else:
        db.session.delete(image)
    db.session.flush()
