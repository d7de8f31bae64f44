from flask import Blueprint

bp = Blueprint("profile", __name__)

from . import erasure_routes, mydata_routes, routes  # noqa: E402, F401
