"""Entry point for `flask` and gunicorn (`gunicorn wsgi:app`)."""

from lokalatih import create_app

app = create_app()
