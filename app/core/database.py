"""Per-connection settings for SQLite: foreign keys on, WAL for concurrent readers, a busy timeout.

`synchronous=NORMAL` under WAL (the setting SQLite recommends for WAL): a committed transaction
survives a crash of the server process, as every acknowledged co-editing edit must, and only a
power loss or kernel crash of the machine may lose the last ones; FULL syncs the disk on every
commit, which under the gevent worker stalls every connection of the process while it waits.
SQLITE_SYNCHRONOUS=FULL in the environment restores the disk sync per commit.
"""

import os

from sqlalchemy import event
from sqlalchemy.engine import Engine

SYNCHRONOUS_LEVELS = ("OFF", "NORMAL", "FULL", "EXTRA")


def synchronous_level() -> str:
    level = os.environ.get("SQLITE_SYNCHRONOUS", "NORMAL").strip().upper()
    if level not in SYNCHRONOUS_LEVELS:
        raise ValueError(f"SQLITE_SYNCHRONOUS must be one of {', '.join(SYNCHRONOUS_LEVELS)}")
    return level


@event.listens_for(Engine, "connect")
def _sqlite_pragmas(dbapi_connection, connection_record):
    if type(dbapi_connection).__module__.startswith("sqlite3"):
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute(f"PRAGMA synchronous={synchronous_level()}")
        cursor.execute("PRAGMA busy_timeout=10000")
        cursor.close()
