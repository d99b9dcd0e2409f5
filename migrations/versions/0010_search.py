"""one search index for the platform (replaces the discussion archives' own)

Revision ID: 0010
Revises: 0009
Create Date: 2026-11-30 21:10:00

"""

from alembic import op
import sqlalchemy as sa
from sqlalchemy.dialects import postgresql

import app.core.types
from app.search.models import drop_search_index, ensure_search_index


# revision identifiers, used by Alembic.
revision = "0010"
down_revision = "0009"
branch_labels = None
depends_on = None

_OLD_TRIGGERS = ("ai", "au", "ad", "topic_au")


def upgrade():
    bind = op.get_bind()
    if bind.dialect.name == "sqlite":
        for suffix in _OLD_TRIGGERS:
            op.execute(f"DROP TRIGGER IF EXISTS message_fts_{suffix}")
        op.execute("DROP TABLE IF EXISTS message_fts")
    op.create_table(
        "search_entry",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=16), nullable=False),
        sa.Column("target_id", sa.Integer(), nullable=False),
        sa.Column("document_id", sa.Integer(), nullable=True),
        sa.Column("body_id", sa.Integer(), nullable=True),
        sa.Column("stakeholder_group", sa.String(length=32), nullable=True),
        sa.Column("language", sa.String(length=35), nullable=True),
        sa.Column("anchor", sa.String(length=32), nullable=False),
        sa.Column("position", sa.Integer(), nullable=True),
        sa.Column("title", sa.Text(), nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("folded_title", sa.Text(), nullable=False),
        sa.Column("folded_text", sa.Text(), nullable=False),
        sa.Column("created_at", app.core.types.UTCDateTime(), nullable=False),
        sa.Column("tsv", sa.Text().with_variant(postgresql.TSVECTOR(), "postgresql"), nullable=True),
        sa.ForeignKeyConstraint(
            ["document_id"],
            ["document.id"],
            name=op.f("fk_search_entry_document_id_document"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_search_entry")),
    )
    with op.batch_alter_table("search_entry", schema=None) as batch_op:
        batch_op.create_index("ix_search_entry_document", ["document_id", "kind", "language"], unique=False)
        batch_op.create_index("ix_search_entry_target", ["kind", "target_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_search_entry_body_id"), ["body_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_search_entry_document_id"), ["document_id"], unique=False)
        batch_op.create_index(
            batch_op.f("ix_search_entry_stakeholder_group"), ["stakeholder_group"], unique=False
        )
    ensure_search_index(bind)
    # Existing content is indexed by `flask search reindex` (the app's code, not this file's).


def downgrade():
    drop_search_index(op.get_bind())
    with op.batch_alter_table("search_entry", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_search_entry_stakeholder_group"))
        batch_op.drop_index(batch_op.f("ix_search_entry_document_id"))
        batch_op.drop_index(batch_op.f("ix_search_entry_body_id"))
        batch_op.drop_index("ix_search_entry_target")
        batch_op.drop_index("ix_search_entry_document")
    op.drop_table("search_entry")
