"""decision reasons on amendments

Revision ID: 0007
Revises: 0006
Create Date: 2026-11-30 17:20:00.000000

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0007'
down_revision = '0006'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('amendment', schema=None) as batch_op:
        batch_op.add_column(sa.Column('decision_reason', sa.Text(), nullable=True))


def downgrade():
    with op.batch_alter_table('amendment', schema=None) as batch_op:
        batch_op.drop_column('decision_reason')
