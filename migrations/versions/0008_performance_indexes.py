"""indexes found missing by profiling (issue 8)

Every foreign key gets an index: without one, deleting or re-keying a referenced row (a user, a
question) scans the whole referencing table under a lock, and "who recorded / issued / created"
lookups scan too. The columns the hot paths filter on were already indexed (docs/PERFORMANCE.md).

Revision ID: 0008_performance_indexes
Revises: 0007_account_erasure
Create Date: 2026-11-23 19:30:00
"""

import sqlalchemy as sa  # noqa: F401
from alembic import op

revision = "0008_performance_indexes"
down_revision = "0007_account_erasure"
branch_labels = None
depends_on = None

# (table, column): the index is named ix_<table>_<column> like the models' naming convention.
INDEXES = (
    ("checkins", "recorded_by_id"),
    ("certificates", "issued_by_id"),
    ("consent_versions", "published_by_id"),
    ("questions", "created_by_id"),
    ("quiz_questions", "question_id"),
    ("workshops", "created_by_id"),
)


def upgrade():
    for table, column in INDEXES:
        with op.batch_alter_table(table) as batch:
            batch.create_index(f"ix_{table}_{column}", [column], unique=False)


def downgrade():
    for table, column in reversed(INDEXES):
        with op.batch_alter_table(table) as batch:
            batch.drop_index(f"ix_{table}_{column}")
