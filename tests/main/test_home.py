def test_home_page_is_in_indonesian_by_default(client):
    response = client.get("/")

    assert response.status_code == 200
    assert 'lang="id"' in response.get_data(as_text=True)
    assert "Daftar sebagai peserta" in response.get_data(as_text=True)


def test_security_headers_on_every_response(client):
    response = client.get("/")

    assert "script-src 'self'" in response.headers["Content-Security-Policy"]
    assert "frame-ancestors 'none'" in response.headers["Content-Security-Policy"]
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.headers["X-Frame-Options"] == "DENY"


def test_unknown_page_gets_an_indonesian_404(client):
    response = client.get("/tidak-ada")

    assert response.status_code == 404
    assert "Halaman tidak ditemukan." in response.get_data(as_text=True)


def test_language_switch_refuses_offsite_redirects(client):
    response = client.post("/bahasa", data={"lang": "en", "next": "https://jahat.example/"})

    assert response.status_code == 302
    assert response.headers["Location"] == "/"


def test_post_without_csrf_token_is_refused_with_a_clear_message(database_url):
    from lokalatih import create_app

    app = create_app("testing", SQLALCHEMY_DATABASE_URI=database_url, WTF_CSRF_ENABLED=True)

    response = app.test_client().post("/bahasa", data={"lang": "en"})

    assert response.status_code == 400
    assert "Muat ulang halaman" in response.get_data(as_text=True)


def test_language_switch_gives_english_pages(client):
    response = client.post("/bahasa", data={"lang": "en", "next": "/"}, follow_redirects=True)

    assert response.status_code == 200
    assert 'lang="en"' in response.get_data(as_text=True)


def test_a_template_rendered_in_another_language_inside_a_request_is_in_that_language(app):
    # Templates keep the request's translations (lokalatih/i18n.py); an email rendered for its
    # recipient inside force_locale must not be answered from the page's language, nor the page
    # from the email's.
    from flask import render_template_string
    from flask_babel import force_locale

    template = "{{ _('Verifikasi sertifikat') }}"
    with app.test_request_context("/"):
        assert render_template_string(template) == "Verifikasi sertifikat"
        with force_locale("en"):
            assert render_template_string(template) == "Verify a certificate"
        assert render_template_string(template) == "Verifikasi sertifikat"
