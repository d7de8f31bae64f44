from flask import Blueprint

bp = Blueprint("admin", __name__, url_prefix="/admin")

from . import audit_routes, consent_routes, routes  # noqa: E402, F401
