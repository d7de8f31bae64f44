"""action plans and their follow-up; the KKPHAM theme list (issue 17, sections 2 and 4)

`themes` is reference data: the ten rights of the KKPHAM criteria (HAM-FACTS.md, "For tagging"),
seeded here and edited by admins afterwards. `action_plan_items` holds one to three actions per
registration and what the participant later reports; `workshops.follow_up_days` says when the
follow-up is due (90 days after the last session unless the organizer changes it).

Revision ID: 0017_action_plans
Revises: 0016_evaluations
Create Date: 2026-12-06 05:00:00
"""

import sqlalchemy as sa
from alembic import op

revision = "0017_action_plans"
down_revision = "0016_evaluations"
branch_labels = None
depends_on = None

THEMES = [
    ("bantuan_hukum", "Hak atas bantuan hukum", "Right to legal aid"),
    ("informasi", "Hak atas informasi", "Right to information"),
    (
        "turut_serta_pemerintahan",
        "Hak turut serta dalam pemerintahan",
        "Right to take part in government",
    ),
    (
        "keberagaman_pluralisme",
        "Hak atas keberagaman dan pluralisme",
        "Right to diversity and pluralism",
    ),
    (
        "kependudukan",
        "Hak atas kependudukan (administrasi kependudukan)",
        "Right to civil registration (population administration)",
    ),
    ("kesehatan", "Hak atas kesehatan", "Right to health"),
    ("pendidikan", "Hak atas pendidikan", "Right to education"),
    ("pekerjaan", "Hak atas pekerjaan", "Right to work"),
    (
        "lingkungan_perumahan",
        "Hak atas lingkungan yang baik dan sehat serta perumahan yang layak",
        "Right to a good and healthy environment and adequate housing",
    ),
    ("perempuan_anak", "Hak perempuan dan anak", "Rights of women and children"),
]


def upgrade() -> None:
    themes = op.create_table(
        "themes",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("code", sa.String(length=60), nullable=False),
        sa.Column("name_id", sa.String(length=200), nullable=False),
        sa.Column("name_en", sa.String(length=200), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("active", sa.Boolean(), server_default=sa.true(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_themes")),
        sa.UniqueConstraint("code", name=op.f("uq_themes_code")),
    )
    op.bulk_insert(
        themes,
        [
            {"code": code, "name_id": name_id, "name_en": name_en, "position": index, "active": True}
            for index, (code, name_id, name_en) in enumerate(THEMES, start=1)
        ],
    )
    op.create_table(
        "action_plan_items",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("registration_id", sa.Integer(), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("action", sa.String(length=300), nullable=False),
        sa.Column("due_date", sa.Date(), nullable=False),
        sa.Column("theme_id", sa.Integer(), nullable=True),
        sa.Column("partners", sa.String(length=200), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column(
            "status",
            sa.Enum(
                "done",
                "in_progress",
                "not_started",
                "dropped",
                name="actionstatus",
                native_enum=False,
                create_constraint=True,
                length=32,
            ),
            nullable=True,
        ),
        sa.Column("note", sa.String(length=500), nullable=False),
        sa.Column("evidence_url", sa.String(length=500), nullable=True),
        sa.Column("reported_at", sa.DateTime(), nullable=True),
        sa.Column("followed_up_at", sa.DateTime(), nullable=True),
        sa.Column("reminded_at", sa.DateTime(), nullable=True),
        sa.ForeignKeyConstraint(
            ["registration_id"],
            ["registrations.id"],
            name=op.f("fk_action_plan_items_registration_id_registrations"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["theme_id"],
            ["themes.id"],
            name=op.f("fk_action_plan_items_theme_id_themes"),
            ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_action_plan_items")),
        sa.UniqueConstraint(
            "registration_id", "position", name=op.f("uq_action_plan_items_registration_id")
        ),
    )
    with op.batch_alter_table("action_plan_items") as batch:
        batch.create_index(
            batch.f("ix_action_plan_items_registration_id"), ["registration_id"], unique=False
        )
        batch.create_index(batch.f("ix_action_plan_items_theme_id"), ["theme_id"], unique=False)
    with op.batch_alter_table("workshops") as batch:
        batch.add_column(
            sa.Column("follow_up_days", sa.Integer(), server_default=sa.text("90"), nullable=False)
        )


def downgrade() -> None:
    with op.batch_alter_table("workshops") as batch:
        batch.drop_column("follow_up_days")
    op.drop_table("action_plan_items")
    op.drop_table("themes")
