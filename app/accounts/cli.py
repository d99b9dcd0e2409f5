"""`flask users ...` commands."""

from flask.cli import AppGroup

users = AppGroup("users", help="Manage participants and their API tokens.")
