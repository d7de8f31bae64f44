"""KKPHAM theme tags on workshops, sessions and bank questions (issue 17, section 4)

Revision ID: 0018_themes_tags
Revises: 0017_action_plans
Create Date: 2026-12-06 06:20:00
"""

import sqlalchemy as sa
from alembic import op

revision = "0018_themes_tags"
down_revision = "0017_action_plans"
branch_labels = None
depends_on = None

TABLES = (
    ("workshop_themes", "workshop_id", "workshops"),
    ("session_themes", "session_id", "workshop_sessions"),
    ("question_themes", "question_id", "questions"),
)


def upgrade() -> None:
    for name, column, target in TABLES:
        op.create_table(
            name,
            sa.Column(column, sa.Integer(), nullable=False),
            sa.Column("theme_id", sa.Integer(), nullable=False),
            sa.ForeignKeyConstraint(
                [column],
                [f"{target}.id"],
                name=op.f(f"fk_{name}_{column}_{target}"),
                ondelete="CASCADE",
            ),
            sa.ForeignKeyConstraint(
                ["theme_id"],
                ["themes.id"],
                name=op.f(f"fk_{name}_theme_id_themes"),
                ondelete="CASCADE",
            ),
            sa.PrimaryKeyConstraint(column, "theme_id", name=op.f(f"pk_{name}")),
        )
        op.create_index(op.f(f"ix_{name}_theme_id"), name, ["theme_id"], unique=False)


def downgrade() -> None:
    for name, _column, _target in reversed(TABLES):
        op.drop_index(op.f(f"ix_{name}_theme_id"), table_name=name)
        op.drop_table(name)
