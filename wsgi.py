"""Entry point for WSGI servers (gunicorn) and `flask --app wsgi`."""

from app import create_app
from app.extensions import socketio

app = create_app()

if __name__ == "__main__":
    import os

    socketio.run(
        app,
        host=os.environ.get("HOST", "127.0.0.1"),
        port=int(os.environ.get("PORT", "5000")),
        allow_unsafe_werkzeug=True,
    )
