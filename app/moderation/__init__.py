"""Moderation: reports of posts, comments, rationales and profiles; hiding with a public reason."""

from flask import Blueprint

bp = Blueprint("moderation", __name__)

from app.moderation import api, routes  # noqa: E402,F401
from app.moderation.templating import register  # noqa: E402


def init_app(app):
    register(app)
