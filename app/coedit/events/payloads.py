"""Validation of /coedit payloads and `Refusal`."""

from __future__ import annotations

import re
from urllib.parse import unquote

from flask import current_app

MODES = ("edit", "follow")
MAX_EDITS_PER_SYNC = 1000
# C0 controls but tab, line feed and carriage return (NUL included: PostgreSQL cannot store it)
CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f]")


class Refusal(Exception):
    """An event refused with one of the protocol's error codes (answered, never raised further)."""

    def __init__(self, code: str, message: str):
        super().__init__(message)
        self.code = code
        self.message = message


def read_string(data: dict, key: str, max_length: int, *, required: bool = True) -> str | None:
    value = data.get(key)
    if value is None and not required:
        return None
    if not isinstance(value, str) or not value or len(value) > max_length:
        raise Refusal(
            "bad_request", f"`{key}` must be a non-empty string of at most {max_length} characters."
        )
    return value


def read_integer(data: dict, key: str, *, maximum: int = 2**53) -> int:
    value = data.get(key)
    if not isinstance(value, int) or isinstance(value, bool) or not 0 <= value <= maximum:
        raise Refusal("bad_request", f"`{key}` must be a non-negative integer.")
    return value


def read_payload(data) -> dict:
    if not isinstance(data, dict):
        raise Refusal("bad_request", "The payload must be an object.")
    return data


def read_channel(data: dict) -> tuple[str, str]:
    return read_string(data, "doc", 120), read_string(data, "lang", 35)


def read_edits(data: dict) -> list[dict]:
    edits = data.get("edits", [])
    if not isinstance(edits, list):
        raise Refusal("bad_request", "`edits` must be a list.")
    if len(edits) > MAX_EDITS_PER_SYNC:
        raise Refusal("too_large", f"At most {MAX_EDITS_PER_SYNC} edits per sync.")
    max_delta = current_app.config["COEDIT_MAX_DELTA"]
    clean = []
    for edit in edits:
        if not isinstance(edit, dict):
            raise Refusal("bad_request", "Each edit is an object {n, delta}.")
        n = read_integer(edit, "n")
        delta = edit.get("delta")
        if not isinstance(delta, str):
            raise Refusal("bad_request", "`delta` must be a string.")
        if len(delta) > max_delta:
            raise Refusal("too_large", f"A delta has at most {max_delta} characters.")
        if inserts_control(delta):
            raise Refusal("bad_request", "Text may not contain NUL or other control characters.")
        clean.append({"n": n, "delta": delta})
    return clean


def inserts_control(delta: str) -> bool:
    """Does the delta insert a control character (raw or %-escaped) into the text?"""
    if CONTROL.search(delta.replace("\t", " ")):
        return True
    return any(
        part.startswith("+") and "%" in part and CONTROL.search(unquote(part[1:], errors="replace"))
        for part in delta.split("\t")
    )
