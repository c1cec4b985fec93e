"""resolution_pending: what a bulk load left for one resolution pass afterwards

Revision ID: 0015
Revises: 0014
Create Date: 2026-12-06 02:00:00

An IATI import resolved the organisations of every batch as it went, reading each new name's neighbourhood
(every organisation sharing a blocking key) again for every batch: on the 1.1M-activity corpus that was 57 %
of the workers' time. A bulk load now notes its new organisations here, in the batch's transaction, and
resolves them once at the end (`aidatlas.db.stages.settle`); an interrupted load's notes are finished by the
next one.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = '0015'
down_revision = '0014'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "resolution_pending",
        sa.Column("subject", sa.String(12), primary_key=True),
        sa.Column("item", sa.String(80), primary_key=True),
        sqlite_with_rowid=False,
    )


def downgrade() -> None:
    op.drop_table("resolution_pending")
