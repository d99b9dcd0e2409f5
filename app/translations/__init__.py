from flask import Blueprint

bp = Blueprint("translations", __name__)

from app.translations import api, reader, routes  # noqa: E402,F401
