"""Entry point for gunicorn (gunicorn.conf.py: `wsgi:app`) and `flask --app wsgi`."""

import os
import sys

if __name__ == "__main__":  # `python wsgi.py`: the production server, never Werkzeug's
    os.execv(sys.executable, [sys.executable, "-m", "gunicorn", "-c", "gunicorn.conf.py"])  # noqa: S606

from app import create_app  # noqa: E402 - not imported by the line above, which replaces us

app = create_app()
