"""per-registration tallies kept by triggers (issue 6)

The review dashboard needs, per registration, the sessions attended, the certificates earned and
the pre- and post-test scores. Counting them from check-ins, certificates and attempts on every
page view cost most of a second at 100,000 participants. They are now columns of `registrations`,
filled here from the existing rows and kept by triggers on `checkins`, `certificates` and
`attempts`, so that no write path (a service, a bulk load, a test factory, a cascade) can forget
them:
- check-ins add or subtract one (an increment stays right when two check-ins of one person
  commit concurrently on PostgreSQL, where a recount could miss the other's row);
- certificates are recounted (valid, or revoked only because the holder deleted the account);
- a submitted attempt's score goes into the column of its quiz's kind; a deleted attempt makes
  both scores be recomputed from the attempts left.
The registration also carries a copy of its participant's profile dimensions (province,
kabupaten/kota, institution type, gender), kept by triggers on `profiles` and on new
registrations, so that one covering index, `ix_registrations_cells`, holds every column the
figures group and sum: SQLite then streams the registrations in cell order instead of joining
the profiles and sorting 100,000 rows.
The topic breakdown likewise read a million per-attempt topic rows with a DISTINCT count of
people; `registration_topic_scores` holds one row per registration and topic, the pre- and
post-test counts side by side, added to and subtracted from by triggers on
`attempt_topic_scores` (an upsert, so two attempts of one person scored at once both count).

A later migration that rebuilds one of these tables (SQLite batch mode copies the table) drops
its triggers and must create them again: `tests/reports/test_tallies.py` would show it.

Revision ID: 0009_registration_tallies
Revises: 0008_performance_indexes
Create Date: 2026-11-23 23:30:00
"""

# Every statement below is assembled from this file's own constants, never from input.
# ruff: noqa: S608

import sqlalchemy as sa
from alembic import op

revision = "0009_registration_tallies"
down_revision = "0008_performance_indexes"
branch_labels = None
depends_on = None

EARNED = "(revoked_at IS NULL OR revoked_by_holder)"
# The profile's enums, without their CHECK constraints: the copies only ever come from profiles.
INSTITUTION_TYPES = sa.Enum(
    "local_government", "dprd", "ministry", "komnas_ham", "civil_society", "academia", "other",
    name="institutiontype", native_enum=False, create_constraint=False, length=32,
)  # fmt: skip
GENDERS = sa.Enum(
    "female", "male", name="gender", native_enum=False, create_constraint=False, length=32
)


def _count_certificates(registration: str) -> str:
    return (
        f"(SELECT count(*) FROM certificates WHERE registration_id = {registration} AND {EARNED})"
    )


def _score(registration: str, kind: str) -> str:
    return (
        "(SELECT max(a.score) FROM attempts a JOIN quizzes q ON q.id = a.quiz_id "
        f"WHERE a.registration_id = {registration} AND q.kind = '{kind}' "
        "AND a.submitted_at IS NOT NULL)"
    )


def _kind_of(quiz: str) -> str:
    return f"(SELECT kind FROM quizzes WHERE id = {quiz})"


def _set_score(row: str) -> str:
    """Put a written attempt's score (NULL until submitted) in the column of its quiz's kind."""
    score = f"CASE WHEN {row}.submitted_at IS NOT NULL THEN {row}.score END"
    kind = _kind_of(f"{row}.quiz_id")
    return (
        "UPDATE registrations SET "
        f"pre_score = CASE WHEN {kind} = 'pre' THEN {score} ELSE pre_score END, "
        f"post_score = CASE WHEN {kind} = 'post' THEN {score} ELSE post_score END "
        f"WHERE id = {row}.registration_id"
    )


def _rescore(row: str) -> str:
    registration = f"{row}.registration_id"
    return (
        f"UPDATE registrations SET pre_score = {_score(registration, 'pre')}, "
        f"post_score = {_score(registration, 'post')} WHERE id = {registration}"
    )


def _recount_certificates(row: str) -> str:
    registration = f"{row}.registration_id"
    return (
        f"UPDATE registrations SET certificates_earned = {_count_certificates(registration)} "
        f"WHERE id = {registration}"
    )


def _step_checkins(row: str, step: str) -> str:
    return (
        f"UPDATE registrations SET sessions_attended = sessions_attended {step} 1 "
        f"WHERE id = {row}.registration_id"
    )


TOPICS = "registration_topic_scores"
TOPIC_COLUMNS = ("pre_answered", "pre_correct", "post_answered", "post_correct")


def _topic_values(row: str, sign: str = "") -> list[str]:
    """The four counts one attempt_topic_scores row adds, in TOPIC_COLUMNS order."""
    return [
        f"CASE WHEN {row}.quiz_kind = '{kind}' THEN {sign}{row}.{count} ELSE 0 END"
        for kind in ("pre", "post")
        for count in ("answered", "correct")
    ]


def _add_topic(row: str) -> str:
    values = ", ".join(_topic_values(row))
    add = ", ".join(f"{c} = {TOPICS}.{c} + excluded.{c}" for c in TOPIC_COLUMNS)
    return (
        f"INSERT INTO {TOPICS} (registration_id, topic, {', '.join(TOPIC_COLUMNS)}) "
        f"VALUES ({row}.registration_id, {row}.topic, {values}) "
        f"ON CONFLICT (registration_id, topic) DO UPDATE SET {add}"
    )


def _replace_topic() -> str:
    """A rescored attempt: add NEW's counts and take OLD's away."""
    new = _topic_values("NEW")
    old = _topic_values("OLD", "-")
    changes = ", ".join(
        f"{c} = {c} + ({n}) + ({o})" for c, n, o in zip(TOPIC_COLUMNS, new, old, strict=True)
    )
    return (
        f"UPDATE {TOPICS} SET {changes} "
        "WHERE registration_id = NEW.registration_id AND topic = NEW.topic"
    )


def _remove_topic() -> str:
    """A deleted attempt: take its counts away, and drop the row once nothing is left in it."""
    old = _topic_values("OLD", "-")
    changes = ", ".join(f"{c} = {c} + ({o})" for c, o in zip(TOPIC_COLUMNS, old, strict=True))
    where = "WHERE registration_id = OLD.registration_id AND topic = OLD.topic"
    return (
        f"UPDATE {TOPICS} SET {changes} {where}; "
        f"DELETE FROM {TOPICS} {where} AND pre_answered = 0 AND post_answered = 0"
    )


PROFILE_COLUMNS = ("province_code", "regency_code", "institution_type", "gender")
TALLY_COLUMNS = ("sessions_attended", "certificates_earned", "pre_score", "post_score")
CELL_INDEX = (*PROFILE_COLUMNS, "status", "user_id", "workshop_id", *TALLY_COLUMNS)


def _copy_profile(where: str, user: str) -> str:
    columns = ", ".join(PROFILE_COLUMNS)
    return (
        f"UPDATE registrations SET ({columns}) = "
        f"(SELECT {columns} FROM profiles WHERE profiles.user_id = {user}) WHERE {where}"
    )


# (name, timing and event, table, statement)
TRIGGERS = (
    (
        "tally_registration_added",
        "AFTER INSERT",
        "registrations",
        _copy_profile("id = NEW.id", "NEW.user_id"),
    ),
    (
        "tally_profile_added",
        "AFTER INSERT",
        "profiles",
        _copy_profile("user_id = NEW.user_id", "NEW.user_id"),
    ),
    (
        "tally_profile_changed",
        f"AFTER UPDATE OF {', '.join(PROFILE_COLUMNS)}",
        "profiles",
        _copy_profile("user_id = NEW.user_id", "NEW.user_id"),
    ),
    (
        "tally_profile_removed",
        "AFTER DELETE",
        "profiles",
        _copy_profile("user_id = OLD.user_id", "OLD.user_id"),
    ),
    ("tally_checkin_added", "AFTER INSERT", "checkins", _step_checkins("NEW", "+")),
    ("tally_checkin_removed", "AFTER DELETE", "checkins", _step_checkins("OLD", "-")),
    ("tally_certificate_added", "AFTER INSERT", "certificates", _recount_certificates("NEW")),
    (
        "tally_certificate_changed",
        "AFTER UPDATE OF revoked_at, revoked_by_holder",
        "certificates",
        _recount_certificates("NEW"),
    ),
    ("tally_certificate_removed", "AFTER DELETE", "certificates", _recount_certificates("OLD")),
    ("tally_attempt_added", "AFTER INSERT", "attempts", _set_score("NEW")),
    (
        "tally_attempt_scored",
        "AFTER UPDATE OF score, submitted_at",
        "attempts",
        _set_score("NEW"),
    ),
    ("tally_attempt_removed", "AFTER DELETE", "attempts", _rescore("OLD")),
    ("tally_topic_added", "AFTER INSERT", "attempt_topic_scores", _add_topic("NEW")),
    (
        "tally_topic_changed",
        "AFTER UPDATE OF answered, correct",
        "attempt_topic_scores",
        _replace_topic(),
    ),
    ("tally_topic_removed", "AFTER DELETE", "attempt_topic_scores", _remove_topic()),
)


# PostgreSQL runs its transactions side by side (READ COMMITTED): these triggers first wait for
# the row a concurrent transaction may be changing, so that the statement after it, which takes
# a fresh snapshot, reads that transaction's result. SQLite has one writer at a time.
POSTGRES_WAITS = {
    # A profile edited while a registration of the same person is being added.
    "tally_registration_added": "PERFORM 1 FROM profiles WHERE user_id = NEW.user_id FOR SHARE",
    # An attempt deleted while the person's other test is being scored: recount after it.
    "tally_attempt_removed": (
        "PERFORM 1 FROM registrations WHERE id = OLD.registration_id FOR UPDATE"
    ),
}


def _create_triggers(dialect: str) -> None:
    for name, when, table, statement in TRIGGERS:
        if dialect == "postgresql":
            wait = f"{POSTGRES_WAITS[name]}; " if name in POSTGRES_WAITS else ""
            op.execute(
                f"CREATE FUNCTION {name}() RETURNS trigger LANGUAGE plpgsql AS $$ "
                f"BEGIN {wait}{statement}; RETURN NULL; END $$"
            )
            op.execute(
                f"CREATE TRIGGER {name} {when} ON {table} FOR EACH ROW EXECUTE FUNCTION {name}()"
            )
        else:
            op.execute(f"CREATE TRIGGER {name} {when} ON {table} BEGIN {statement}; END")


def _drop_triggers(dialect: str) -> None:
    for name, _, table, _ in TRIGGERS:
        if dialect == "postgresql":
            op.execute(f"DROP TRIGGER IF EXISTS {name} ON {table}")
            op.execute(f"DROP FUNCTION IF EXISTS {name}()")
        else:
            op.execute(f"DROP TRIGGER IF EXISTS {name}")


def upgrade():
    zero = sa.text("0")
    op.add_column(
        "registrations",
        sa.Column("sessions_attended", sa.Integer(), nullable=False, server_default=zero),
    )
    op.add_column(
        "registrations",
        sa.Column("certificates_earned", sa.Integer(), nullable=False, server_default=zero),
    )
    op.add_column("registrations", sa.Column("pre_score", sa.Float(), nullable=True))
    op.add_column("registrations", sa.Column("post_score", sa.Float(), nullable=True))
    for name in ("province_code", "regency_code"):
        op.add_column("registrations", sa.Column(name, sa.String(8), nullable=True))
    for name, enum in (("institution_type", INSTITUTION_TYPES), ("gender", GENDERS)):
        op.add_column("registrations", sa.Column(name, enum, nullable=True))
    op.execute(_copy_profile("true", "registrations.user_id"))
    op.execute(
        "UPDATE registrations SET "
        "sessions_attended = (SELECT count(*) FROM checkins "
        "WHERE checkins.registration_id = registrations.id), "
        f"certificates_earned = {_count_certificates('registrations.id')}, "
        f"pre_score = {_score('registrations.id', 'pre')}, "
        f"post_score = {_score('registrations.id', 'post')}"
    )
    op.create_table(
        TOPICS,
        sa.Column(
            "registration_id",
            sa.Integer(),
            sa.ForeignKey("registrations.id", ondelete="CASCADE"),
            primary_key=True,
        ),
        sa.Column("topic", sa.String(80), primary_key=True),
        *[sa.Column(c, sa.Integer(), nullable=False, server_default=zero) for c in TOPIC_COLUMNS],
    )
    sums = ", ".join(f"sum({value})" for value in _topic_values("s"))
    op.execute(
        f"INSERT INTO {TOPICS} (registration_id, topic, {', '.join(TOPIC_COLUMNS)}) "
        f"SELECT s.registration_id, s.topic, {sums} FROM attempt_topic_scores s "
        "GROUP BY s.registration_id, s.topic"
    )
    op.create_index(f"ix_{TOPICS}_report", TOPICS, ["topic", *TOPIC_COLUMNS])
    op.create_index("ix_registrations_cells", "registrations", list(CELL_INDEX))
    # The breakdown no longer reads attempt_topic_scores by topic.
    op.drop_index("ix_attempt_topic_scores_report", table_name="attempt_topic_scores")
    _create_triggers(op.get_bind().dialect.name)


def downgrade():
    _drop_triggers(op.get_bind().dialect.name)
    op.create_index(
        "ix_attempt_topic_scores_report",
        "attempt_topic_scores",
        ["topic", "registration_id", "quiz_kind", "answered", "correct"],
    )
    op.drop_index(f"ix_{TOPICS}_report", table_name=TOPICS)
    op.drop_table(TOPICS)
    op.drop_index("ix_registrations_cells", table_name="registrations")
    # In place (SQLite >= 3.35), not in batch mode: rebuilding `registrations` would drop the
    # table, and with foreign keys on, cascade-delete every check-in, certificate and attempt.
    for name in (*reversed(PROFILE_COLUMNS), *TALLY_COLUMNS[::-1]):
        op.drop_column("registrations", name)
