from flask import Blueprint

bp = Blueprint("registrations", __name__)

from . import routes  # noqa: E402, F401
