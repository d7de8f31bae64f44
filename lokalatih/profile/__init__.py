from flask import Blueprint

bp = Blueprint("profile", __name__)

from . import mydata_routes, routes  # noqa: E402, F401
