"""the iCalendar SEQUENCE of each session (issue 16)

Moving or editing a session after participants were told now emails them the updated .ics with
the same UID and a higher SEQUENCE, so calendars replace the event instead of keeping the old one.
Existing sessions start at 0, as their .ics files did (no SEQUENCE means 0).

Revision ID: 0011_session_sequence
Revises: 0010_question_text_key
Create Date: 2026-12-06 03:00:00
"""

import sqlalchemy as sa
from alembic import op

revision = "0011_session_sequence"
down_revision = "0010_question_text_key"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("workshop_sessions") as batch:
        batch.add_column(
            sa.Column("sequence", sa.Integer(), nullable=False, server_default=sa.text("0"))
        )


def downgrade() -> None:
    with op.batch_alter_table("workshop_sessions") as batch:
        batch.drop_column("sequence")
