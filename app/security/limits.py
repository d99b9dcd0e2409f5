"""Rate limits (Flask-Limiter) on signing in, registering, posting, proposing and previewing.

One table names the endpoints and their limits, so domains keep no throttling code. Limits
are counted in Redis when the app has one (RATELIMIT_STORAGE_URI, else REDIS_URL, else a
redis:// message queue), so every worker process shares them; in memory otherwise.

Signing in counts failed attempts only, per address and per account: once either is spent,
even the right password is refused until the window passes, so guessing cannot go on by
spreading over addresses or accounts.
"""

from __future__ import annotations

import math
import re
import time
from dataclasses import dataclass

from flask import current_app, jsonify, render_template, request
from flask_limiter import Limiter, RateLimitExceeded
from flask_login import current_user

from app.accounts.api_auth import api_user
from app.core.openapi import ERROR_CONTENT, PATHS


def address() -> str:
    """The client address (behind a proxy, wrap the app in werkzeug's ProxyFix)."""
    return request.remote_addr or "unknown"


def account() -> str:
    """The account a login form names (normalised the cheap way), else the address."""
    email = (request.form.get("email") or "").strip().lower()
    return f"account:{email[:254]}" if email else f"address:{address()}"


def person() -> str:
    """The signed-in user, or the API token's owner, else the address."""
    if current_user.is_authenticated:
        return f"user:{current_user.id}"
    if request.path.startswith("/api/"):
        user = api_user(required=False)
        if user is not None:
            return f"user:{user.id}"
    return f"address:{address()}"


def failed(response) -> bool:
    """A refused attempt: the form answered again with an error."""
    return response.status_code in (400, 401)


def succeeded(response) -> bool:
    """Something was stored: a redirect after a form, or 201 from the API."""
    return response.status_code in (201, 302, 303)


@dataclass(frozen=True)
class Rule:
    endpoints: tuple[str, ...]
    config: str  # the app config key that holds the limit string
    key: object
    deduct_when: object = None


RULES = (
    Rule(("accounts.login",), "LOGIN_LIMIT_PER_ADDRESS", address, failed),
    Rule(("accounts.login",), "LOGIN_LIMIT_PER_ACCOUNT", account, failed),
    Rule(("accounts.register",), "REGISTER_LIMIT", address, None),
    Rule(
        ("accounts.change_password", "accounts.change_email"), "CREDENTIALS_LIMIT", person, failed
    ),
    Rule(
        (
            "discussion.new_body_topic",
            "discussion.new_document_topic",
            "discussion.reply",
            "discussion.edit",
            "amendments.comment",
        ),
        "POST_LIMIT",
        person,
        succeeded,
    ),
    Rule(("amendments.new", "api.propose"), "PROPOSE_LIMIT", person, succeeded),
    Rule(("coedit.preview",), "PREVIEW_LIMIT", person, None),
)


def _retry_after(error: RateLimitExceeded) -> int:
    """Seconds until the spent limit allows a new attempt (at least 1)."""
    limiter: Limiter = current_app.extensions["agora_limiter"]
    current = limiter.current_limit
    if current is not None:
        return max(1, math.ceil(current.reset_at - time.time()))
    return max(1, int(error.limit.limit.get_expiry()))


def too_many_requests(error: RateLimitExceeded):
    """429 with Retry-After: JSON under /api, else a page that says how long to wait."""
    seconds = _retry_after(error)
    message = f"Too many attempts in a short time. Try again in {seconds} seconds."
    headers = {"Retry-After": str(seconds)}
    if request.path.startswith("/api/"):
        body = {"error": {"code": "rate_limited", "message": message, "retry_after": seconds}}
        return jsonify(body), 429, headers
    page = render_template("errors/error.html", status=429, message=message)
    return page, 429, headers


def _storage_uri(config) -> str:
    for candidate in (
        config.get("RATELIMIT_STORAGE_URI"),
        config.get("REDIS_URL"),
        config.get("SOCKETIO_MESSAGE_QUEUE"),
    ):
        if candidate and (candidate.startswith("redis") or candidate == "memory://"):
            return candidate
    return "memory://"


def init_app(app) -> None:
    """One Limiter per app (tests make many apps: no limit leaks from one to the next)."""
    app.config["RATELIMIT_STORAGE_URI"] = _storage_uri(app.config)
    limiter = Limiter(address, app=app)
    app.extensions["agora_limiter"] = limiter
    app.register_error_handler(RateLimitExceeded, too_many_requests)
    _document_in_api(app)
    for rule in RULES:
        for endpoint in rule.endpoints:
            view = app.view_functions.get(endpoint)
            if view is None:
                continue
            # The wrapper does the checking: the limiter skips decorated views in its hook.
            app.view_functions[endpoint] = limiter.limit(
                lambda key=rule.config: current_app.config[key],
                key_func=rule.key,
                methods=["POST"],
                deduct_when=rule.deduct_when,
            )(view)


def _document_in_api(app) -> None:
    """Limited API operations list the 429 answer in /api/openapi.json."""
    for rule in RULES:
        for endpoint in rule.endpoints:
            if not endpoint.startswith("api."):
                continue
            for url_rule in app.url_map.iter_rules(endpoint):
                path = re.sub(r"<(?:[a-z]+:)?([a-z_]+)>", r"{\1}", url_rule.rule)
                operation = PATHS.get(path, {}).get("post")
                if operation is not None:
                    operation.setdefault("responses", {})["429"] = {
                        "description": "Too many requests: try again after Retry-After seconds",
                        "headers": {"Retry-After": {"schema": {"type": "integer"}}},
                        **ERROR_CONTENT,
                    }


def reset(app) -> None:
    """Forget every count (tests; `flask limits reset` style maintenance)."""
    limiter = app.extensions.get("agora_limiter")
    if limiter is not None and limiter.enabled:
        limiter.reset()
