"""Static files for slow links: hashed bundle names, long caching where the name changes.

The build writes `dist/manifest.json` ({"coedit.js": "coedit-AB12CD34.js"}). Every
`url_for('static', filename='dist/coedit.js')` (and `asset_url('coedit.js')`) resolves through
it, so templates keep plain names. Other static files (CSS) get `?v=<hash of the file>`.
A URL whose name or `v` matches the content is cached for a year as immutable; any other
static response is cached briefly and then revalidated (ETag / Last-Modified).
"""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

from flask import Flask, current_app, request, url_for

IMMUTABLE = "public, max-age=31536000, immutable"
SHORT = "public, max-age=300, must-revalidate"
DIST = "dist/"


class Assets:
    """Manifest and file hashes, re-read when the build or a file changes."""

    def __init__(self, static_folder: str):
        self.root = Path(static_folder)
        self._manifest: tuple[float, dict[str, str]] = (-1.0, {})
        self._hashes: dict[str, tuple[float, str]] = {}

    def manifest(self) -> dict[str, str]:
        path = self.root / DIST / "manifest.json"
        try:
            mtime = path.stat().st_mtime
        except OSError:
            return {}  # not built: plain names, as before
        if mtime != self._manifest[0]:
            self._manifest = (mtime, json.loads(path.read_text()))
        return self._manifest[1]

    def hashed_names(self) -> set[str]:
        return {DIST + name for name in self.manifest().values()}

    def version(self, filename: str) -> str | None:
        """A short hash of a static file's content, or None when there is no such file."""
        path = (self.root / filename).resolve()
        if not path.is_relative_to(self.root.resolve()):
            return None
        try:
            mtime = path.stat().st_mtime
        except OSError:
            return None
        cached = self._hashes.get(filename)
        if cached is None or cached[0] != mtime:
            digest = hashlib.sha256(path.read_bytes()).hexdigest()[:10]
            cached = self._hashes[filename] = (mtime, digest)
        return cached[1]


def _assets() -> Assets:
    return current_app.extensions["assets"]


def asset_url(name: str) -> str:
    """The URL of a bundle by its entry name, e.g. asset_url('coedit.js')."""
    return url_for("static", filename=DIST + name)


def _static_url_defaults(endpoint: str, values: dict) -> None:
    if endpoint != "static" or "filename" not in values:
        return
    filename = values["filename"]
    assets = _assets()
    if filename.startswith(DIST):
        hashed = assets.manifest().get(filename[len(DIST) :])
        if hashed:
            values["filename"] = DIST + hashed
            return
    if "v" not in values and (version := assets.version(filename)):
        values["v"] = version


def _static_cache(response):
    if request.endpoint != "static" or response.status_code not in (200, 206, 304):
        return response
    assets = _assets()
    filename = (request.view_args or {}).get("filename", "")
    version = request.args.get("v")
    if filename in assets.hashed_names() or (version and version == assets.version(filename)):
        response.headers["Cache-Control"] = IMMUTABLE
    else:
        response.headers["Cache-Control"] = SHORT
    return response


def init_app(app: Flask) -> None:
    app.extensions["assets"] = Assets(app.static_folder)
    app.url_defaults(_static_url_defaults)
    app.after_request(_static_cache)
    app.add_template_global(asset_url)
