from flask import Blueprint

bp = Blueprint("quizzes", __name__)

from . import bank_routes, routes  # noqa: E402, F401
