"""Timestamps are stored in UTC, timezone-aware in Python."""

from datetime import UTC, datetime


def utcnow() -> datetime:
    return datetime.now(UTC)
