"""Issuing institutions, their logos and the signatories' signature images: checked uploads,
printed on the PDF, frozen at issue."""

from __future__ import annotations

import io
import shutil
import subprocess

import pytest
import sqlalchemy as sa
from PIL import Image, PngImagePlugin

from lokalatih.certificates import attestation, branding, services
from lokalatih.certificates.documents import build_content, certificate_pdf
from lokalatih.certificates.errors import ImageRejectedError
from lokalatih.certificates.services import CertificateRule
from lokalatih.models import AuditEvent, CertificateImage, ImageKind
from lokalatih.outbox.services import external_url

from .test_pdf import decode_qr, page_text, pdffonts_rows, poppler

RULE_FIELDS = {"min_attendance_pct": "80", "requires_post_test": "y", "training_hours": "32"}


def png_bytes(size=(240, 80), color=(12, 90, 140, 255), **info) -> bytes:
    image = Image.new("RGBA", size, color)
    metadata = PngImagePlugin.PngInfo()
    for key, value in info.items():
        metadata.add_text(key, value)
    output = io.BytesIO()
    image.save(output, format="PNG", pnginfo=metadata)
    return output.getvalue()


def jpeg_bytes(size=(300, 100)) -> bytes:
    output = io.BytesIO()
    Image.new("RGB", size, (200, 30, 30)).save(output, format="JPEG", quality=80)
    return output.getvalue()


def _rule(workshop) -> CertificateRule:
    return CertificateRule(
        min_attendance_pct=workshop.cert_min_attendance_pct,
        requires_post_test=workshop.cert_requires_post_test,
        min_post_score=workshop.cert_min_post_score,
        training_hours=workshop.training_hours,
        signatories=list(workshop.signatories or []),
    )


def _save(db, workshop, organizer, institutions, uploads=()) -> None:
    branding.save_settings(workshop, _rule(workshop), institutions, list(uploads), organizer)
    db.session.commit()


def _logo(data: bytes, slot: int = 1) -> branding.Upload:
    return branding.Upload(ImageKind.LOGO, slot, data, f"institution_{slot}_logo")


def _signature(data: bytes, slot: int = 1) -> branding.Upload:
    return branding.Upload(ImageKind.SIGNATURE, slot, data, f"signatory_{slot}_signature")


def _pdf_file(tmp_path, certificate) -> object:
    path = tmp_path / "sertifikat.pdf"
    path.write_bytes(certificate_pdf(certificate))
    return path


# --- checking an upload -----------------------------------------------------------------------


def test_a_png_is_re_encoded_without_its_metadata_or_trailing_bytes():
    original = png_bytes(Comment="rahasia-penyelenggara") + b"<script>alert(1)</script>"

    image = branding.prepare_image(original)

    assert image.png.startswith(b"\x89PNG\r\n\x1a\n")
    assert b"rahasia-penyelenggara" not in image.png and b"<script>" not in image.png
    assert (image.width, image.height) == (240, 80)
    with Image.open(io.BytesIO(image.png)) as decoded:
        assert decoded.format == "PNG" and decoded.mode == "RGBA"


def test_a_jpeg_becomes_a_png_and_a_large_image_is_scaled_down():
    assert branding.prepare_image(jpeg_bytes()).png.startswith(b"\x89PNG")
    large = branding.prepare_image(png_bytes(size=(3000, 600)))
    assert (large.width, large.height) == (1200, 240)


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b"Ini berkas teks biasa, bukan gambar.\n", "bukan gambar PNG atau JPEG"),
        (png_bytes()[:60], "bukan gambar PNG atau JPEG"),  # a truncated PNG
        (b"GIF89a" + b"\x00" * 40, "bukan gambar PNG atau JPEG"),  # a format not accepted
        (png_bytes(size=(8, 8)), "antara 16 dan 4000 piksel"),
        (png_bytes(size=(4500, 20)), "antara 16 dan 4000 piksel"),
        (b"\x89PNG\r\n\x1a\n" + b"\x00" * (branding.MAX_IMAGE_BYTES + 1), "lebih besar dari 1 MB"),
    ],
)
def test_what_is_not_a_sane_png_or_jpeg_is_refused_with_a_reason(app, data, message):
    with app.test_request_context(), pytest.raises(ImageRejectedError) as caught:
        branding.prepare_image(data, "institution_1_logo")

    assert message in str(caught.value.message)
    assert caught.value.field == "institution_1_logo"


# --- the settings page ------------------------------------------------------------------------


def test_the_organizer_sets_institutions_with_a_logo_and_a_signature(
    db, client, login_as, cert_workshop, cert_organizer
):
    workshop = cert_workshop()
    login_as(cert_organizer)

    response = client.post(
        f"/kelola/{workshop.slug}/sertifikat/pengaturan",
        data={
            **RULE_FIELDS,
            "institution_1": "  Komnas  HAM ",
            "institution_2": "Pemerintah Kota Palu",
            "institution_2_logo": (io.BytesIO(png_bytes()), "logo-palu.png"),
            "signatory_1_name": "Dr. Hana Pratiwi, S.H.",
            "signatory_1_position": "Direktur Jenderal HAM",
            "signatory_1_signature": (io.BytesIO(jpeg_bytes()), "ttd.jpg"),
        },
        content_type="multipart/form-data",
    )

    assert response.status_code == 302
    db.session.refresh(workshop)
    assert workshop.issuing_institutions == ["Komnas HAM", "Pemerintah Kota Palu"]
    images = attestation.current_images(workshop)
    assert set(images) == {(ImageKind.LOGO, 2), (ImageKind.SIGNATURE, 1)}
    page = client.get(f"/kelola/{workshop.slug}/sertifikat/pengaturan").get_data(as_text=True)
    assert 'value="Pemerintah Kota Palu"' in page
    logo = images[(ImageKind.LOGO, 2)]
    assert f"/sertifikat/gambar/{logo.id}.png" in page
    served = client.get(f"/kelola/{workshop.slug}/sertifikat/gambar/{logo.id}.png")
    assert served.status_code == 200 and served.mimetype == "image/png"
    assert served.data == logo.png
    actions = list(db.session.scalars(sa.select(AuditEvent.action)))
    assert actions.count("certificate_image_uploaded") == 2


@pytest.mark.parametrize(
    ("upload", "message"),
    [
        ((b"bukan gambar sama sekali", "logo.png"), "bukan gambar PNG atau JPEG"),  # renamed .txt
        ((b"%PDF-1.7\n" + b"0" * 200, "logo.pdf"), "bukan gambar PNG atau JPEG"),
        ((png_bytes(size=(8, 8)), "kecil.png"), "antara 16 dan 4000 piksel"),
    ],
)
def test_a_bad_file_is_refused_next_to_its_field_and_nothing_typed_is_lost(
    db, client, login_as, cert_workshop, cert_organizer, upload, message
):
    workshop = cert_workshop()
    login_as(cert_organizer)
    data, filename = upload

    response = client.post(
        f"/kelola/{workshop.slug}/sertifikat/pengaturan",
        data={
            **RULE_FIELDS,
            "min_attendance_pct": "70",
            "institution_1": "Pemerintah Kota Palu",
            "institution_1_logo": (io.BytesIO(data), filename),
            "signatory_1_name": "Budi Santoso",
            "signatory_1_position": "Wali Kota Palu",
        },
        content_type="multipart/form-data",
    )

    text = response.get_data(as_text=True)
    assert response.status_code == 400
    assert message in text
    assert 'id="institution_1_logo-error"' in text
    assert 'value="Pemerintah Kota Palu"' in text and 'value="Budi Santoso"' in text
    assert 'value="70"' in text
    db.session.refresh(workshop)
    assert workshop.issuing_institutions is None and workshop.cert_min_attendance_pct == 80
    assert db.session.scalar(sa.select(sa.func.count(CertificateImage.id))) == 0


def test_an_oversized_file_is_refused(db, client, login_as, cert_workshop, cert_organizer):
    workshop = cert_workshop()
    login_as(cert_organizer)
    big = png_bytes() + b"\x00" * branding.MAX_IMAGE_BYTES
    fields = {**RULE_FIELDS, "signatory_1_name": "Budi Santoso", "signatory_1_position": "Wali"}
    # Encoded by hand: the test client would spool a body this large to a file it never closes.
    body = b"".join(
        f'--x\r\nContent-Disposition: form-data; name="{name}"\r\n\r\n{value}\r\n'.encode()
        for name, value in fields.items()
    )
    body += (
        b'--x\r\nContent-Disposition: form-data; name="signatory_1_signature"; filename="t.png"'
        b"\r\nContent-Type: image/png\r\n\r\n" + big + b"\r\n--x--\r\n"
    )

    response = client.post(
        f"/kelola/{workshop.slug}/sertifikat/pengaturan",
        data=body,
        content_type="multipart/form-data; boundary=x",
    )

    text = response.get_data(as_text=True)
    assert response.status_code == 400
    assert "Berkas gambar lebih besar dari 1 MB." in text
    assert 'value="Budi Santoso"' in text


def test_an_image_without_a_name_in_its_row_is_refused(
    db, client, login_as, cert_workshop, cert_organizer
):
    workshop = cert_workshop()
    login_as(cert_organizer)

    response = client.post(
        f"/kelola/{workshop.slug}/sertifikat/pengaturan",
        data={**RULE_FIELDS, "institution_3_logo": (io.BytesIO(png_bytes()), "logo.png")},
        content_type="multipart/form-data",
    )

    assert response.status_code == 400
    assert "Isi nama instansi penerbit untuk logo ini." in response.get_data(as_text=True)


def test_removing_an_image_asks_first_then_removes_it(
    db, client, login_as, cert_workshop, cert_organizer
):
    workshop = cert_workshop()
    _save(db, workshop, cert_organizer, ["Komnas HAM"], [_logo(png_bytes())])
    image = attestation.current_images(workshop)[(ImageKind.LOGO, 1)]
    login_as(cert_organizer)
    url = f"/kelola/{workshop.slug}/sertifikat/gambar/{image.id}/hapus"

    confirm = client.get(url)
    assert confirm.status_code == 200
    assert "Ya, hapus gambar" in confirm.get_data(as_text=True)
    assert attestation.current_images(workshop)

    response = client.post(url)

    assert response.status_code == 302
    assert attestation.current_images(workshop) == {}
    assert db.session.get(CertificateImage, image.id) is None  # no certificate named it
    assert client.get(url).status_code == 404


# --- the PDF and the verification page -------------------------------------------------------


def test_the_pdf_names_the_institutions_and_draws_logo_and_signature(
    db, tmp_path, cert_workshop, cert_participant, cert_organizer
):
    workshop = cert_workshop()
    _save(
        db,
        workshop,
        cert_organizer,
        ["Pemerintah Kota Palu", "Universitas Tadulako"],
        [_logo(png_bytes()), _logo(jpeg_bytes(), slot=2), _signature(png_bytes((300, 90)))],
    )
    certificate = services.issue_certificate(cert_participant(workshop))
    db.session.commit()

    path = _pdf_file(tmp_path, certificate)

    text = poppler("pdftotext", path)
    assert "Pemerintah Kota Palu, Universitas Tadulako" in text
    assert "oleh Komnas HAM" not in text  # the organizer's own institution no longer prints
    assert "Siti Rahmawati" in text and "Dr. Hana Pratiwi, S.H." in text
    images = [line.split() for line in poppler("pdfimages", path, "-list").splitlines()[2:] if line]
    assert len([row for row in images if row[2] == "image"]) == 3  # two logos, one signature
    assert all(row["emb"] == "yes" for row in pdffonts_rows(path))
    assert decode_qr(path.read_bytes()) == [
        external_url("certificates.verify", code=certificate.code)
    ]


def test_each_certificate_carries_the_images_pixel_for_pixel_though_prepared_once(
    db, tmp_path, cert_workshop, cert_participant, cert_organizer
):
    # A logo with half-transparent pixels (drawn through a soft mask) and an opaque signature.
    logo = Image.new("RGBA", (120, 60), (0, 0, 0, 0))
    for x in range(120):
        for y in range(60):
            logo.putpixel((x, y), (2 * x, 4 * y, 90, (x + y) % 256))
    logo_png = io.BytesIO()
    logo.save(logo_png, format="PNG")
    workshop = cert_workshop()
    _save(
        db,
        workshop,
        cert_organizer,
        ["Pemerintah Kota Palu"],
        [_logo(logo_png.getvalue()), _signature(jpeg_bytes((200, 60)))],
    )
    first = services.issue_certificate(cert_participant(workshop, full_name="Siti Rahmawati"))
    second = services.issue_certificate(cert_participant(workshop, full_name="Made Wenda"))
    db.session.commit()

    for certificate in (first, second, first):  # the later ones reuse the prepared images
        folder = tmp_path / certificate.code
        folder.mkdir(exist_ok=True)
        path = folder / "sertifikat.pdf"
        path.write_bytes(certificate_pdf(certificate))
        pdfimages = shutil.which("pdfimages")
        assert pdfimages, "pdfimages is missing: run `make pdf-deps`"
        subprocess.run([pdfimages, "-png", str(path), str(folder / "img")], check=True, timeout=60)
        extracted = sorted(folder.glob("img-*.png"))
        color, alpha, signature = (Image.open(io.BytesIO(p.read_bytes())) for p in extracted)
        assert color.convert("RGB").tobytes() == logo.convert("RGB").tobytes()
        assert alpha.convert("L").tobytes() == logo.getchannel("A").tobytes()
        assert signature.size == (200, 60)


def test_without_institutions_the_organizers_print_and_the_page_names_no_issuer(
    db, client, cert_workshop, cert_participant
):
    workshop = cert_workshop()
    certificate = services.issue_certificate(cert_participant(workshop))
    db.session.commit()

    assert "Diselenggarakan oleh Komnas HAM" in page_text(certificate_pdf(certificate))
    assert "Penerbit" not in client.get(f"/verifikasi/{certificate.code}").get_data(as_text=True)


def test_institutions_and_images_are_frozen_at_issue(
    db, client, tmp_path, cert_workshop, cert_participant, cert_organizer
):
    workshop = cert_workshop()
    first_logo = png_bytes(color=(0, 128, 0, 255))
    _save(db, workshop, cert_organizer, ["Pemerintah Kota Palu"], [_logo(first_logo)])
    old_image = attestation.current_images(workshop)[(ImageKind.LOGO, 1)]
    certificate = services.issue_certificate(cert_participant(workshop))
    db.session.commit()
    issued_logos = build_content(certificate).logos

    # Later the organizer renames the institution, replaces the logo, then removes it.
    _save(db, workshop, cert_organizer, ["Komnas HAM Perwakilan Sulteng"], [_logo(png_bytes())])
    new_image = attestation.current_images(workshop)[(ImageKind.LOGO, 1)]
    later = services.issue_certificate(cert_participant(workshop, full_name="Peserta Kedua"))
    db.session.commit()
    branding.remove_image(new_image, cert_organizer)
    db.session.commit()

    kept = db.session.get(CertificateImage, old_image.id)
    assert kept is not None and kept.retired_at is not None  # an issued certificate names it
    content = build_content(db.session.get(type(certificate), certificate.id))
    assert content.logos == issued_logos and len(issued_logos) == 1
    assert "Pemerintah Kota Palu" in content.organizers
    page = client.get(f"/verifikasi/{certificate.code}").get_data(as_text=True)
    assert "Pemerintah Kota Palu" in page and "Sulteng" not in page
    # The certificate issued after the change has the new name and still the logo it was issued
    # with, although that logo was removed from the workshop afterwards.
    assert "Komnas HAM Perwakilan Sulteng" in build_content(later).organizers
    assert build_content(later).logos == (new_image.png,)
    assert attestation.current_images(workshop) == {}


def test_an_image_follows_its_name_and_leaves_when_the_name_does(db, cert_workshop, cert_organizer):
    workshop = cert_workshop()
    workshop.signatories = [
        {"name": "Dr. Hana Pratiwi, S.H.", "position": "Direktur Jenderal HAM"},
        {"name": "Ahmad Taufan", "position": "Ketua Komnas HAM"},
        {"name": "Budi Santoso", "position": "Wali Kota Palu"},
    ]
    _save(
        db,
        workshop,
        cert_organizer,
        ["Komnas HAM"],
        [_signature(png_bytes(), 2), _signature(png_bytes((200, 60)), 3), _logo(png_bytes())],
    )
    taufan = attestation.current_images(workshop)[(ImageKind.SIGNATURE, 2)]
    budi = attestation.current_images(workshop)[(ImageKind.SIGNATURE, 3)]

    # Ahmad Taufan leaves: Budi Santoso moves up to the second place, with his own signature.
    workshop.signatories = [workshop.signatories[0], workshop.signatories[2]]
    _save(db, workshop, cert_organizer, ["Komnas HAM RI"])

    images = attestation.current_images(workshop)
    assert images == {(ImageKind.SIGNATURE, 2): budi}
    assert budi.label == "Budi Santoso"
    assert db.session.get(CertificateImage, taufan.id) is None  # no certificate named it
    content_signatures = [
        item.get("signature") for item in attestation.snapshot(workshop)["signatories"]
    ]
    assert content_signatures == [None, {"image_id": budi.id, "sha256": budi.sha256}]


def test_an_upload_for_a_row_without_a_name_is_refused_by_the_service(
    app, db, cert_workshop, cert_organizer
):
    workshop = cert_workshop()
    with app.test_request_context(), pytest.raises(ImageRejectedError) as caught:
        branding.save_settings(workshop, _rule(workshop), [], [_logo(png_bytes())], cert_organizer)

    assert "Isi nama instansi penerbit" in str(caught.value.message)
