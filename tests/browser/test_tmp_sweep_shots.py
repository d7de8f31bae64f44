import pytest

from tests.browser.fixtures import VIEWPORTS
from tests.browser.test_every_page import _prepared, world  # noqa: F401

pytestmark = pytest.mark.browser


def test_shots(db, world, consent_version, signed_in_context):
    _prepared(db, world, consent_version)
    slug = world.workshop.slug
    page = signed_in_context(world.organizer, viewport=VIEWPORTS["phone"]).new_page()
    for name, url in [("registrants", f"/kelola/{slug}/pendaftar"), ("profile", "/profil"),
                      ("edit", f"/kelola/{slug}/ubah")]:
        page.goto(url)
        page.screenshot(path=f"tests/browser/.shots/sweep-{name}-phone.png", full_page=True)
