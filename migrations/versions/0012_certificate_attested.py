"""what a certificate attests, frozen at issue (issue 20)

Renaming a completed workshop after certificates were issued changed what the verification page
and the PDF said. `certificates.attested` keeps the workshop's title, dates, JP, place, organizers,
partners and signatories as they were at issue; the application fills it for every certificate
it issues. Existing certificates keep it empty and show the workshop as it is now, as before.

Revision ID: 0012_certificate_attested
Revises: 0011_session_sequence
Create Date: 2026-12-06 03:30:00
"""

import sqlalchemy as sa
from alembic import op

revision = "0012_certificate_attested"
down_revision = "0011_session_sequence"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("certificates") as batch:
        batch.add_column(sa.Column("attested", sa.JSON(), nullable=True))
    # Existing rows: a copy written by the application's own rule would make this migration
    # change when the application does; the verification page falls back to the workshop for
    # rows left empty, which is what they showed before.


def downgrade() -> None:
    with op.batch_alter_table("certificates") as batch:
        batch.drop_column("attested")
