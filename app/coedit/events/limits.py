"""Abuse limits of /coedit: token buckets per event, per connection and per user or address.

A user's budget is shared by all of their sockets (ten tabs do not get ten times the syncs);
anonymous connections share their address's budget.
"""

from __future__ import annotations

import threading
import time

# event -> (per connection: rate/s, burst), (per user or address: rate/s, burst)
DEFAULT_LIMITS = {
    "connect": (None, (10.0, 60)),
    "join": ((2.0, 10), (10.0, 60)),
    "sync": ((20.0, 20), (30.0, 40)),
    "cursor": ((20.0, 20), (40.0, 60)),
    "leave": ((2.0, 10), (10.0, 60)),
}


class RateLimiter:
    """Token buckets keyed by (scope, who, event); `allow` takes one token or says no."""

    def __init__(self, clock=time.monotonic):
        self.clock = clock
        self._buckets: dict[tuple, list[float]] = {}
        self._lock = threading.Lock()
        self._swept = clock()

    def allow(self, key: tuple, rate: float, burst: float) -> bool:
        now = self.clock()
        with self._lock:
            bucket = self._buckets.get(key)
            if bucket is None:
                bucket = self._buckets[key] = [float(burst), now]
            tokens = min(burst, bucket[0] + max(0.0, now - bucket[1]) * rate)
            bucket[1] = now
            allowed = tokens >= 1.0
            bucket[0] = tokens - 1.0 if allowed else tokens
            if now - self._swept > 60:
                self._sweep(now)
        return allowed

    def _sweep(self, now: float) -> None:
        """Forget buckets that have been full for a while (closed connections, idle users)."""
        self._swept = now
        for key in [k for k, b in self._buckets.items() if now - b[1] > 60]:
            del self._buckets[key]

    def forget(self, sid: str) -> None:
        with self._lock:
            for key in [k for k in self._buckets if k[0] == "conn" and k[1] == sid]:
                del self._buckets[key]


def limits_for(config, event: str):
    """(per connection, per user or address) limits of an event, scaled by the configuration."""
    per_conn, per_who = DEFAULT_LIMITS[event]
    overrides = config.get("COEDIT_EVENT_LIMITS") or {}
    per_conn, per_who = overrides.get(event, (per_conn, per_who))
    if event == "sync" and per_conn is not None:
        rate = config["COEDIT_MAX_SYNCS_PER_SECOND"]
        per_conn = (float(rate), max(1, int(rate)))
    scale = float(config.get("COEDIT_LIMIT_SCALE", 1.0))
    if per_who is not None:
        per_who = (per_who[0] * scale, per_who[1] * scale)
    return per_conn, per_who
