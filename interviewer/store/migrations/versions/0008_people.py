"""Who practised each session, and who wrote each rubric version.

Revision ID: 0008
Revises: 0007
"""

from alembic import op
import sqlalchemy as sa


revision = '0008'
down_revision = '0007'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('interview_session', schema=None) as batch_op:
        batch_op.add_column(sa.Column('user', sa.String(), nullable=True))
        batch_op.create_index('ix_interview_session_user', ['user'])
    with op.batch_alter_table('rubric_version', schema=None) as batch_op:
        batch_op.add_column(sa.Column('author', sa.String(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table('rubric_version', schema=None) as batch_op:
        batch_op.drop_column('author')
    with op.batch_alter_table('interview_session', schema=None) as batch_op:
        batch_op.drop_index('ix_interview_session_user')
        batch_op.drop_column('user')
