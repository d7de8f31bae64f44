"""per-attempt per-topic answer counts (issue 6)

Revision ID: 0004_attempt_topic_scores
Revises: 0003_consent_v1
Create Date: 2026-11-23 19:30:00
"""

import sqlalchemy as sa
from alembic import op

revision = "0004_attempt_topic_scores"
down_revision = "0003_consent_v1"
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
questions = sa.table("questions", sa.column("id", sa.Integer), sa.column("topic", sa.String))


def upgrade():
    scores = op.create_table(
        "attempt_topic_scores",
        sa.Column("attempt_id", sa.Integer(), nullable=False),
        sa.Column("topic", sa.String(length=80), nullable=False),
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
            name=op.f("fk_attempt_topic_scores_attempt_id_attempts"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["registration_id"],
            ["registrations.id"],
            name=op.f("fk_attempt_topic_scores_registration_id_registrations"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("attempt_id", "topic", name=op.f("pk_attempt_topic_scores")),
    )
    # Attempts submitted before this revision: their counts from their answers, in one statement.
    counts = (
        sa.select(
            answers.c.attempt_id,
            questions.c.topic,
            attempts.c.registration_id,
            quizzes.c.kind,
            sa.func.count(),
            sa.func.sum(sa.case((answers.c.is_correct.is_(True), 1), else_=0)),
        )
        .join(attempts, attempts.c.id == answers.c.attempt_id)
        .join(quizzes, quizzes.c.id == attempts.c.quiz_id)
        .join(questions, questions.c.id == answers.c.question_id)
        .where(attempts.c.submitted_at.is_not(None))
        .group_by(
            answers.c.attempt_id, questions.c.topic, attempts.c.registration_id, quizzes.c.kind
        )
    )
    columns = ["attempt_id", "topic", "registration_id", "quiz_kind", "answered", "correct"]
    op.execute(scores.insert().from_select(columns, counts))
    # After the rows: building an index once is faster than keeping it sorted while inserting.
    with op.batch_alter_table("attempt_topic_scores", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_attempt_topic_scores_registration_id"), ["registration_id"], unique=False
        )
        batch_op.create_index(
            "ix_attempt_topic_scores_report",
            ["topic", "registration_id", "quiz_kind", "answered", "correct"],
            unique=False,
        )


def downgrade():
    op.drop_table("attempt_topic_scores")
