"""The privacy blueprint (consent, "Data saya", account erasure), apart from the routes so that
importing the feature loads no view.

create_app imports the routes modules, which add their views to it, then registers it.
"""

from flask import Blueprint

bp = Blueprint("privacy", __name__)
