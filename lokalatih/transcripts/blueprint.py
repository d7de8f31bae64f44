"""The transcripts blueprint, apart from the routes so that importing the feature loads no view.

create_app imports the routes module, which adds its views to it, then registers it.
"""

from flask import Blueprint

bp = Blueprint("transcripts", __name__)
