"""The sign-in guard of every HTML page: one rule for who must log in and where they go.

An anonymous visitor of a page that needs an account is sent to the login page with ?next= so
that they come back afterwards. The API has its own rule (a bearer token, else 401 JSON), and a
domain's role checks (coordinator, drafting team, administrator) stay in its permissions module.
"""

from functools import wraps

from flask import redirect
from flask_login import current_user, login_url

from app.extensions import login_manager


def login_redirect(next_url: str | None = None):
    """None for a signed-in user; else the redirect to the login page.

    `next_url` is where to come back (default: this request's URL, with the login message
    flashed); a POST that cannot be replayed by a GET passes the page it belongs to.
    """
    if current_user.is_authenticated:
        return None
    if next_url is None:
        return login_manager.unauthorized()
    return redirect(login_url(login_manager.login_view, next_url=next_url))


def login_required(view):
    """Decorate a page that only signed-in people may use."""

    @wraps(view)
    def guarded(*args, **kwargs):
        refusal = login_redirect()
        if refusal is not None:
            return refusal
        return view(*args, **kwargs)

    return guarded
