"""merge_candidates indexed by their second side

Revision ID: 0014
Revises: 0013
Create Date: 2026-12-06 00:20:00

Organisation resolution reads, for every batch of an import, the decided pairs touching the batch's
organisations from both sides (`resolve.organisations._decided_pairs`); the primary key `(subject, a, b)`
served the first side only, the second was a scan of the whole table per chunk of ids.
"""

from __future__ import annotations

from alembic import op

revision = '0014'
down_revision = '0013'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_index("ix_merge_candidates_b", "merge_candidates", ["subject", "b"])


def downgrade() -> None:
    op.drop_index("ix_merge_candidates_b", table_name="merge_candidates")
