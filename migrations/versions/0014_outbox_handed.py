"""the moment an outbox message was handed to the SMTP server (issue 20)

A message the server accepted could be sent twice when marking it sent failed (the database
connection was cut). `outbox_messages.handed_at` is committed just before the server sees the
message and cleared with its answer; a row left SENDING with it set is held back instead of being
sent again at once (lokalatih/outbox/tasks.py).

Revision ID: 0014_outbox_handed
Revises: 0013_two_factor_fernet
Create Date: 2026-12-06 06:00:00
"""

import sqlalchemy as sa
from alembic import op


revision = "0014_outbox_handed"
down_revision = "0013_two_factor_fernet"
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table("outbox_messages") as batch:
        batch.add_column(sa.Column("handed_at", sa.DateTime(), nullable=True))


def downgrade():
    with op.batch_alter_table("outbox_messages") as batch:
        batch.drop_column("handed_at")
