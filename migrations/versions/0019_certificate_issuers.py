"""Issuing institutions per workshop; logos and signature images on certificates

`workshops.issuing_institutions` holds one to three names printed as the certificate's issuer
(empty: the organizers' institutions, as before). `certificate_images` holds the re-encoded PNG
of each institution's logo and each signatory's signature, with the name it was uploaded for; the
bytes are never changed, only retired, so issued certificates keep printing the image they were
issued with.

Revision ID: 0019_certificate_issuers
Revises: 0018_themes_tags
Create Date: 2026-12-06 18:30:00
"""

import sqlalchemy as sa
from alembic import op

revision = "0019_certificate_issuers"
down_revision = "0018_themes_tags"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "certificate_images",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("workshop_id", sa.Integer(), nullable=False),
        sa.Column(
            "kind",
            sa.Enum(
                "logo",
                "signature",
                name="imagekind",
                native_enum=False,
                create_constraint=True,
                length=32,
            ),
            nullable=False,
        ),
        sa.Column("slot", sa.Integer(), nullable=False),
        sa.Column("label", sa.String(length=200), nullable=False),
        sa.Column("png", sa.LargeBinary(), nullable=False),
        sa.Column("sha256", sa.String(length=64), nullable=False),
        sa.Column("width", sa.Integer(), nullable=False),
        sa.Column("height", sa.Integer(), nullable=False),
        sa.Column("uploaded_by_id", sa.Integer(), nullable=True),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("retired_at", sa.DateTime(), nullable=True),
        sa.ForeignKeyConstraint(
            ["workshop_id"],
            ["workshops.id"],
            name=op.f("fk_certificate_images_workshop_id_workshops"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["uploaded_by_id"],
            ["users.id"],
            name=op.f("fk_certificate_images_uploaded_by_id_users"),
            ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_certificate_images")),
    )
    with op.batch_alter_table("certificate_images") as batch:
        batch.create_index(
            batch.f("ix_certificate_images_workshop_id"), ["workshop_id"], unique=False
        )
        batch.create_index(
            batch.f("ix_certificate_images_uploaded_by_id"), ["uploaded_by_id"], unique=False
        )
    with op.batch_alter_table("workshops") as batch:
        batch.add_column(sa.Column("issuing_institutions", sa.JSON(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("workshops") as batch:
        batch.drop_column("issuing_institutions")
    op.drop_table("certificate_images")
