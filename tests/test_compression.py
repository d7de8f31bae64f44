"""gzip for pages, styles and scripts when accepted; streamed downloads untouched."""

from __future__ import annotations

import gzip
import re

from flask import Response

GZIP = {"Accept-Encoding": "gzip, deflate, br"}
TOKEN = re.compile(r'name="csrf_token" value="([^"]*)"')


def _tokens(plain, text: str) -> tuple[str, str]:
    """The two pages differ only in the signed CSRF token (its timestamp may differ)."""
    return TOKEN.search(plain.get_data(as_text=True)).group(1), TOKEN.search(text).group(1)


def test_a_page_is_compressed_only_for_a_browser_that_accepts_gzip(client, make_user):
    plain = client.get("/loka-latih")
    packed = client.get("/loka-latih", headers=GZIP)

    assert "Content-Encoding" not in plain.headers
    assert packed.headers["Content-Encoding"] == "gzip"
    assert "Accept-Encoding" in packed.headers["Vary"]
    text = gzip.decompress(packed.get_data()).decode()
    assert text == plain.get_data(as_text=True).replace(*_tokens(plain, text))
    assert int(packed.headers["Content-Length"]) == len(packed.get_data())
    assert len(packed.get_data()) < len(plain.get_data()) / 2


def test_styles_and_scripts_are_compressed_and_still_answer_304(client):
    for path in ("/static/css/app.css", "/static/js/quiz.js"):
        raw = client.get(path)
        packed = client.get(path, headers=GZIP)
        assert packed.headers["Content-Encoding"] == "gzip", path
        assert gzip.decompress(packed.get_data()) == raw.get_data(), path

        again = client.get(path, headers={**GZIP, "If-None-Match": packed.headers["ETag"]})
        assert again.status_code == 304, path
        raw.close(), packed.close(), again.close()


def test_a_streamed_download_and_a_small_answer_pass_untouched(app):
    chunks = [b"<p>" + b"x" * 4000 + b"</p>"] * 3

    @app.get("/_stream")
    def stream():
        return Response(iter(chunks), mimetype="text/html")

    @app.get("/_small")
    def small():
        return {"saved": True}

    client = app.test_client()
    streamed = client.get("/_stream", headers=GZIP)
    tiny = client.get("/_small", headers=GZIP)

    assert "Content-Encoding" not in streamed.headers
    assert streamed.get_data() == b"".join(chunks)
    assert "Content-Encoding" not in tiny.headers
    assert tiny.get_json() == {"saved": True}
