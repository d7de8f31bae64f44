"""Hostile values in `next` and in page numbers get a normal answer, never a 500: a line break in
`next` would split the Location header, and a page of 10^18 overflowed the OFFSET."""

from __future__ import annotations

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from lokalatih.models import Role
from lokalatih.security import safe_next

from .fixtures import signed_in_client

HUGE = ["1000000000000000000", "99999999999999999999", "-1", "0", "1e9", "abc", "１"]
PAGED = ["/admin/audit?page=", "/admin/pengguna?page=", "/admin/email?page=", "/bank-soal?page=",
         "/kelola?page=", "/loka-latih?page=", "/laporan?halaman="]  # fmt: skip


@pytest.mark.parametrize("path", PAGED)
def test_any_page_number_gets_a_page_not_a_server_error(app, make_user, path):
    client = signed_in_client(app, make_user(role=Role.ADMIN))
    for value in HUGE:
        response = client.get(path + value)
        assert response.status_code in (200, 404), (path, value, response.status_code)


@pytest.mark.parametrize("target", ["/loka-latih\r\nSet-Cookie: x=1", "/a\nb", "/\\evil.example"])
def test_a_next_with_a_line_break_or_backslash_falls_back_to_home(client, target):
    response = client.post("/bahasa", data={"lang": "en", "next": target})

    assert response.status_code == 302
    assert response.headers["Location"] == "/"


def test_login_with_a_hostile_next_signs_in_and_goes_home(client, make_user):
    user = make_user("siti@contoh.id")

    response = client.post(
        "/masuk?next=/a%0d%0aSet-Cookie:x",
        data={"email": user.email, "password": "Lokalatih#Uji2026"},
    )

    assert response.status_code == 302
    assert "\n" not in response.headers["Location"] and "\r" not in response.headers["Location"]


@settings(max_examples=300, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.text(max_size=40))
def test_safe_next_only_ever_returns_a_same_site_path_without_control_characters(target):
    result = safe_next(target, "/")
    assert result == "/" or (
        result.startswith("/")
        and not result.startswith("//")
        and "\\" not in result
        and all(ord(char) >= 32 and ord(char) != 127 for char in result)
    )
