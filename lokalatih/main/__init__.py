from flask import Blueprint

bp = Blueprint("main", __name__)

from . import health, routes  # noqa: E402, F401
