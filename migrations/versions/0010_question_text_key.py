"""one question per text in the bank (issue 16)

The bank accepted a question whose text was already there (or differed only in spacing or case);
its own export then failed to re-import, since an import refuses a text twice. `questions` gains
`text_key`: the text trimmed, inner whitespace collapsed and case-folded, as a SHA-256 hex digest
(a digest keeps the unique index small on PostgreSQL, where a b-tree entry has a size limit that
a 2,000-character text can pass). The application keeps it whenever a text is set.

Existing duplicates must not stop the upgrade: the oldest question (lowest id) keeps its text,
and each later one gets " (duplikat #<id>)" appended, so every text is unique and the organizers
can see which to retire or merge. Their quizzes and attempts are left as they are. A downgrade
drops the column; the suffixes stay.

Revision ID: 0010_question_text_key
Revises: 0009_registration_tallies
Create Date: 2026-12-06 02:00:00
"""

import hashlib

import sqlalchemy as sa
from alembic import op

revision = "0010_question_text_key"
down_revision = "0009_registration_tallies"
branch_labels = None
depends_on = None

QUESTIONS = sa.table("questions", sa.column("id", sa.Integer), sa.column("text", sa.Text),
                     sa.column("text_key", sa.String))  # fmt: skip


def _key(text: str) -> str:
    # The same rule as lokalatih.models.question_text_key, copied: a migration must not change
    # when the application does.
    return hashlib.sha256(" ".join((text or "").split()).casefold().encode("utf-8")).hexdigest()


def _unique_texts(rows: list[tuple[int, str]]) -> dict[int, tuple[str, str]]:
    """id -> (text, key) for every row, later duplicates suffixed until their key is free."""
    taken: set[str] = set()
    result = {}
    for question_id, text in sorted(rows):
        key = _key(text)
        suffix = ""
        while key in taken:
            suffix += f" (duplikat #{question_id})"
            key = _key(text + suffix)
        taken.add(key)
        result[question_id] = (text + suffix, key)
    return result


def upgrade():
    with op.batch_alter_table("questions") as batch:
        batch.add_column(sa.Column("text_key", sa.String(length=64), nullable=True))
    connection = op.get_bind()
    rows = [tuple(row) for row in connection.execute(sa.select(QUESTIONS.c.id, QUESTIONS.c.text))]
    for question_id, (text, key) in _unique_texts(rows).items():
        connection.execute(
            sa.update(QUESTIONS)
            .where(QUESTIONS.c.id == question_id)
            .values(text=text, text_key=key)
        )
    with op.batch_alter_table("questions") as batch:
        batch.alter_column("text_key", existing_type=sa.String(length=64), nullable=False)
        batch.create_index("ix_questions_text_key", ["text_key"], unique=True)


def downgrade():
    with op.batch_alter_table("questions") as batch:
        batch.drop_index("ix_questions_text_key")
        batch.drop_column("text_key")
