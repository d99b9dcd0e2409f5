"""edit log: the co-editing client and its edit count behind each stored change

A change stored from a client's sync records the client's id and its shadow_n after that sync,
so that a client rejoining after the server lost its state is told which of its edits reached
the text. Rows made before, and changes from other writers, leave both empty.

Revision ID: 0012
Revises: 0011
Create Date: 2026-11-30 23:50:00

"""

from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = "0012"
down_revision = "0011"
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table("edit_log", schema=None) as batch_op:
        batch_op.add_column(sa.Column("client_id", sa.String(length=64), nullable=True))
        batch_op.add_column(sa.Column("client_n", sa.Integer(), nullable=True))
        batch_op.create_index(
            "ix_edit_log_live_text_client", ["live_text_id", "client_id"], unique=False
        )


def downgrade():
    with op.batch_alter_table("edit_log", schema=None) as batch_op:
        batch_op.drop_index("ix_edit_log_live_text_client")
        batch_op.drop_column("client_n")
        batch_op.drop_column("client_id")
