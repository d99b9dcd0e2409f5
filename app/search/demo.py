"""Demo content: some of it is written without the services, so index it all once loaded."""

from app.search.index import reindex_all


def load_demo(drafts_dir) -> None:
    reindex_all()
