"""My activity: one signed-in person's amendments, positions, comments, posts and follows.

It reads the content domains and the follows of notifications, so it sits above them all and
only reads; nothing below it knows it exists."""

from flask import Blueprint

bp = Blueprint("activity", __name__)

from app.activity import api, routes  # noqa: E402,F401
