"""lesson hours (JP) per session (issue 17 §3)

`workshop_sessions.jp_halves` holds the JP an organizer set for a session, in halves (7 = 3.5 JP).
Empty means the default from the session's length (45 minutes = 1 JP, rounded down to a half),
computed by the application, so existing sessions need no data step.

Revision ID: 0015_session_jp
Revises: 0014_outbox_handed
Create Date: 2026-12-06 05:00:00
"""

import sqlalchemy as sa
from alembic import op

revision = "0015_session_jp"
down_revision = "0014_outbox_handed"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("workshop_sessions") as batch:
        batch.add_column(sa.Column("jp_halves", sa.Integer(), nullable=True))
        batch.create_check_constraint(op.f("ck_workshop_sessions_jp_halves_not_negative"), "jp_halves >= 0")


def downgrade() -> None:
    with op.batch_alter_table("workshop_sessions") as batch:
        batch.drop_constraint(op.f("ck_workshop_sessions_jp_halves_not_negative"), type_="check")
        batch.drop_column("jp_halves")
