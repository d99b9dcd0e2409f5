"""What Alembic compares: the tables the models declare, not the search index kept beside them."""

import os

# app/search/models.py creates and keeps these itself (SQLite FTS5 table and shadow tables,
# PostgreSQL's GIN index over the tsvector column).
SELF_MANAGED_PREFIXES = ("search_fts", "ix_search_entry_tsv")


def include_object(obj, name, type_, reflected, compare_to) -> bool:
    """Alembic filter; MIGRATION_TABLES (comma-separated) limits autogenerate to one domain's tables."""
    table_name = name if type_ == "table" else getattr(getattr(obj, "table", None), "name", None)
    if any(n and n.startswith(SELF_MANAGED_PREFIXES) for n in (name, table_name)):
        return False
    only = os.environ.get("MIGRATION_TABLES")
    return not (only and table_name and table_name not in only.split(","))
