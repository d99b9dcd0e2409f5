"""amendment period closing date and reminder; notification kind arguments

Documents get the date their amendment period closes (optional) and when the reminder a day
before was queued. Notifications keep the arguments of their title so that it is rendered in
the reader's language; rows made before keep their stored English title as the fallback.

Revision ID: 0011
Revises: 0010
Create Date: 2026-11-30 20:50:00

"""

from alembic import op
import sqlalchemy as sa

import app.core.types


# revision identifiers, used by Alembic.
revision = "0011"
down_revision = "0010"
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table("document", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("amendments_close_at", app.core.types.UTCDateTime(), nullable=True)
        )
        batch_op.add_column(
            sa.Column("close_reminder_at", app.core.types.UTCDateTime(), nullable=True)
        )
    with op.batch_alter_table("notification", schema=None) as batch_op:
        batch_op.add_column(sa.Column("args", sa.JSON(), nullable=True))


def downgrade():
    with op.batch_alter_table("notification", schema=None) as batch_op:
        batch_op.drop_column("args")
    with op.batch_alter_table("document", schema=None) as batch_op:
        batch_op.drop_column("close_reminder_at")
        batch_op.drop_column("amendments_close_at")
