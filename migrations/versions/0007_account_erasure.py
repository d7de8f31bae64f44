"""account deletion, anonymization and retention (issue 7)

Revision ID: 0007_account_erasure
Revises: 0006_two_factor
Create Date: 2026-11-23 19:30:00
"""

import sqlalchemy as sa
from alembic import op

revision = "0007_account_erasure"
down_revision = "0006_two_factor"
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table("users", schema=None) as batch_op:
        batch_op.add_column(sa.Column("erased_at", sa.DateTime(), nullable=True))
    with op.batch_alter_table("certificates", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("revoked_by_holder", sa.Boolean(), server_default=sa.false(), nullable=False)
        )


def downgrade():
    with op.batch_alter_table("certificates", schema=None) as batch_op:
        batch_op.drop_column("revoked_by_holder")
    with op.batch_alter_table("users", schema=None) as batch_op:
        batch_op.drop_column("erased_at")
