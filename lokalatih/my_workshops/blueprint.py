"""The my_workshops blueprint, apart from the routes so that importing the feature loads no view.

create_app imports the routes module, which adds its view to it, then registers it.
"""

from flask import Blueprint

bp = Blueprint("my_workshops", __name__)
