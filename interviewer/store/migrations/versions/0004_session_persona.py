"""The interviewer persona a session ran with.

Revision ID: 0004
Revises: 0003
"""

from alembic import op
import sqlalchemy as sa


revision = '0004'
down_revision = '0003'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('interview_session', schema=None) as batch_op:
        batch_op.add_column(sa.Column('persona', sa.String(), server_default='neutral', nullable=False))


def downgrade() -> None:
    with op.batch_alter_table('interview_session', schema=None) as batch_op:
        batch_op.drop_column('persona')
