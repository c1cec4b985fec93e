"""extraction confidence stored with each activity

Revision ID: 0005
Revises: 0004
Create Date: 2026-12-04 17:00:00

A record read from a document carries how sure extraction is of it (`activities.confidence`, 0–1), of each of
its fields (`activities.field_confidence`, a JSON object), and whether an editor should look at it
(`activities.needs_review`, indexed: the editors' queue reads it). IATI imports leave them empty.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = '0005'
down_revision = '0004'
branch_labels = None
depends_on = None


def upgrade() -> None:
    # plain ADD COLUMN, not a batch copy: a copy would drop the trigger that queues activities for search
    op.add_column('activities', sa.Column('confidence', sa.Float(), nullable=True))
    op.add_column('activities', sa.Column('field_confidence', sa.Text(), nullable=True))
    op.add_column('activities', sa.Column('needs_review', sa.Boolean(), nullable=False, server_default=sa.false()))
    op.create_index('ix_activities_needs_review', 'activities', ['needs_review'])


def downgrade() -> None:
    op.drop_index('ix_activities_needs_review', 'activities')
    for column in ('needs_review', 'field_confidence', 'confidence'):
        op.drop_column('activities', column)
