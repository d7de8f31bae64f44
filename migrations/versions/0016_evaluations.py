"""the reaction survey (issue 17 §1)

The evaluation form of each workshop: the organizer's window and own items, and the answers kept in
two tables that share no key: `evaluation_submissions` (one row per registration that answered, its
primary key allowing one) and `evaluation_responses` (random ids, no person, no time). Workshops
get `cert_requires_evaluation`, off for every existing one.

Revision ID: 0016_evaluations
Revises: 0015_session_jp
Create Date: 2026-12-06 05:00:00
"""

import sqlalchemy as sa
from alembic import op

revision = "0016_evaluations"
down_revision = "0015_session_jp"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "evaluation_settings",
        sa.Column("workshop_id", sa.Integer(), nullable=False),
        sa.Column("opens_at", sa.DateTime(), nullable=True),
        sa.Column("closes_at", sa.DateTime(), nullable=True),
        sa.ForeignKeyConstraint(["workshop_id"], ["workshops.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("workshop_id"),
    )
    op.create_table(
        "evaluation_items",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("workshop_id", sa.Integer(), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column(
            "kind",
            sa.Enum(
                "likert",
                "choice",
                "text",
                name="evaluationitemkind",
                native_enum=False,
                create_constraint=True,
                length=32,
            ),
            nullable=False,
        ),
        sa.Column("text", sa.String(length=300), nullable=False),
        sa.Column("choices", sa.JSON(), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(["workshop_id"], ["workshops.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index("ix_evaluation_items_workshop_id", "evaluation_items", ["workshop_id"])
    op.create_table(
        "evaluation_submissions",
        sa.Column("registration_id", sa.Integer(), nullable=False),
        sa.Column("workshop_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(["registration_id"], ["registrations.id"], ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["workshop_id"], ["workshops.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("registration_id"),
    )
    op.create_index(
        "ix_evaluation_submissions_workshop_id", "evaluation_submissions", ["workshop_id"]
    )
    op.create_table(
        "evaluation_responses",
        sa.Column("id", sa.String(length=32), nullable=False),
        sa.Column("workshop_id", sa.Integer(), nullable=False),
        sa.Column("language", sa.String(length=5), nullable=False),
        sa.Column("answers", sa.JSON(), nullable=False),
        sa.ForeignKeyConstraint(["workshop_id"], ["workshops.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index(
        "ix_evaluation_responses_workshop_id", "evaluation_responses", ["workshop_id"]
    )
    # Adding a column with a default is one ALTER TABLE on SQLite too: the table is not rebuilt.
    with op.batch_alter_table("workshops") as batch:
        batch.add_column(
            sa.Column(
                "cert_requires_evaluation",
                sa.Boolean(),
                nullable=False,
                server_default=sa.false(),
            )
        )


def downgrade() -> None:
    with op.batch_alter_table("workshops") as batch:
        batch.drop_column("cert_requires_evaluation")
    op.drop_index("ix_evaluation_responses_workshop_id", table_name="evaluation_responses")
    op.drop_table("evaluation_responses")
    op.drop_index("ix_evaluation_submissions_workshop_id", table_name="evaluation_submissions")
    op.drop_table("evaluation_submissions")
    op.drop_index("ix_evaluation_items_workshop_id", table_name="evaluation_items")
    op.drop_table("evaluation_items")
    op.drop_table("evaluation_settings")
