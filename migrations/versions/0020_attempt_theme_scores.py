"""per-attempt per-theme answer counts (issue 17, section 4)

The dashboard's themes section counted, per KKPHAM theme and quiz kind, every answer row of the
submitted attempts (2,000,000 at 100,000 participants) joined with the questions' themes.
`attempt_theme_scores` holds those counts per attempt and theme, as `attempt_topic_scores` does
per topic; the application writes them when an attempt is scored and rewrites them for the
attempts that answered a question whose themes change. Filled here from the answers of the
attempts submitted before it and the questions' themes now.

Revision ID: 0020_attempt_theme_scores
Revises: 0019_certificate_issuers
Create Date: 2026-12-06 22:45:00
"""

import sqlalchemy as sa
from alembic import op

revision = "0020_attempt_theme_scores"
down_revision = "0019_certificate_issuers"
branch_labels = None
depends_on = None

# The tables as they are at this revision (not the models, which may move on).
answers = sa.table(
    "answers",
    sa.column("attempt_id", sa.Integer),
    sa.column("question_id", sa.Integer),
    sa.column("is_correct", sa.Boolean),
)
attempts = sa.table(
    "attempts",
    sa.column("id", sa.Integer),
    sa.column("quiz_id", sa.Integer),
    sa.column("registration_id", sa.Integer),
    sa.column("submitted_at"),
)
quizzes = sa.table("quizzes", sa.column("id", sa.Integer), sa.column("kind", sa.String))
question_themes = sa.table(
    "question_themes", sa.column("question_id", sa.Integer), sa.column("theme_id", sa.Integer)
)


def backfill_counts() -> sa.Select:
    """(attempt, theme, registration, quiz kind, answered, correct) of every submitted attempt
    and theme of the questions it answered: one grouped statement over the answers."""
    return (
        sa.select(
            answers.c.attempt_id,
            question_themes.c.theme_id,
            attempts.c.registration_id,
            quizzes.c.kind,
            sa.func.count(),
            sa.func.sum(sa.case((answers.c.is_correct.is_(True), 1), else_=0)),
        )
        .join(question_themes, question_themes.c.question_id == answers.c.question_id)
        .join(attempts, attempts.c.id == answers.c.attempt_id)
        .join(quizzes, quizzes.c.id == attempts.c.quiz_id)
        .where(attempts.c.submitted_at.is_not(None))
        .group_by(
            answers.c.attempt_id,
            question_themes.c.theme_id,
            attempts.c.registration_id,
            quizzes.c.kind,
        )
    )


def upgrade():
    scores = op.create_table(
        "attempt_theme_scores",
        sa.Column("attempt_id", sa.Integer(), nullable=False),
        sa.Column("theme_id", sa.Integer(), nullable=False),
        sa.Column("registration_id", sa.Integer(), nullable=False),
        sa.Column(
            "quiz_kind",
            sa.Enum(
                "pre", "post", name="quizkind", native_enum=False, create_constraint=True, length=32
            ),
            nullable=False,
        ),
        sa.Column("answered", sa.Integer(), nullable=False),
        sa.Column("correct", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["attempt_id"],
            ["attempts.id"],
            name=op.f("fk_attempt_theme_scores_attempt_id_attempts"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["theme_id"],
            ["themes.id"],
            name=op.f("fk_attempt_theme_scores_theme_id_themes"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["registration_id"],
            ["registrations.id"],
            name=op.f("fk_attempt_theme_scores_registration_id_registrations"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("attempt_id", "theme_id", name=op.f("pk_attempt_theme_scores")),
    )
    columns = ["attempt_id", "theme_id", "registration_id", "quiz_kind", "answered", "correct"]
    op.execute(scores.insert().from_select(columns, backfill_counts()))
    # After the rows: building an index once is faster than keeping it sorted while inserting.
    op.create_index(
        op.f("ix_attempt_theme_scores_registration_id"),
        "attempt_theme_scores",
        ["registration_id"],
        unique=False,
    )
    # The section reads every column it needs from this index, grouped by theme and kind.
    op.create_index(
        "ix_attempt_theme_scores_report",
        "attempt_theme_scores",
        ["theme_id", "quiz_kind", "registration_id", "answered", "correct"],
        unique=False,
    )


def downgrade():
    op.drop_index("ix_attempt_theme_scores_report", table_name="attempt_theme_scores")
    op.drop_index(
        op.f("ix_attempt_theme_scores_registration_id"), table_name="attempt_theme_scores"
    )
    op.drop_table("attempt_theme_scores")
