"""organisation and activity merges: candidates, decisions, blocking keys

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-23 09:00:00

Entity resolution (`aidatlas.resolve.organisations`, `aidatlas.resolve.activities`): candidate pairs with their
score and evidence, an append-only log of decisions (merge, reject, split, undo: who, when, why), the blocking
keys that let a new document be matched against only the organisations and activities it can match, and the
parent link (an embassy → its ministry), the columns that record a merge (`organisations.merged_into`, `activities.same_as`) while keeping what ingest
resolved (`participations.source_org_id`) so that every merge can be undone.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = '0003'
down_revision = '0002'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        'merge_candidates',
        sa.Column('subject', sa.String(length=12), nullable=False),
        sa.Column('a', sa.String(length=80), nullable=False),
        sa.Column('b', sa.String(length=80), nullable=False),
        sa.Column('score', sa.Float(), nullable=False),
        sa.Column('evidence', sa.Text(), nullable=False),
        sa.Column('status', sa.String(length=12), nullable=False),
        sa.Column('created_at', sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint('subject', 'a', 'b', name=op.f('pk_merge_candidates')),
    )
    op.create_index('ix_merge_candidates_status', 'merge_candidates', ['subject', 'status', 'score'])
    op.create_table(
        'merge_decisions',
        sa.Column('id', sa.Integer(), primary_key=True, autoincrement=True),
        sa.Column('subject', sa.String(length=12), nullable=False),
        sa.Column('action', sa.String(length=12), nullable=False),
        sa.Column('a', sa.String(length=80), nullable=False),
        sa.Column('b', sa.String(length=80), nullable=True),
        sa.Column('score', sa.Float(), nullable=True),
        sa.Column('reason', sa.Text(), nullable=False),
        sa.Column('actor', sa.String(length=80), nullable=False),
        sa.Column('at', sa.Integer(), nullable=False),
        sa.Column('details', sa.Text(), nullable=False),
        sa.Column('undone_by', sa.Integer(), nullable=True),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_merge_decisions')),
        sqlite_autoincrement=True,
    )
    op.create_index('ix_merge_decisions_a', 'merge_decisions', ['subject', 'a'])
    op.create_index('ix_merge_decisions_b', 'merge_decisions', ['subject', 'b'])
    op.create_table(
        'blocking_keys',
        sa.Column('subject', sa.String(length=12), nullable=False),
        sa.Column('key', sa.String(length=300), nullable=False),
        sa.Column('item', sa.String(length=80), nullable=False),
        sa.PrimaryKeyConstraint('subject', 'key', 'item', name=op.f('pk_blocking_keys')),
        sqlite_with_rowid=False,
    )
    op.create_index('ix_blocking_keys_item', 'blocking_keys', ['subject', 'item'])
    with op.batch_alter_table('organisations') as batch:
        batch.add_column(sa.Column('merged_into', sa.String(length=80), nullable=True))
        batch.add_column(sa.Column('parent_id', sa.String(length=80), nullable=True))
        batch.create_index('ix_organisations_merged_into', ['merged_into'])
    with op.batch_alter_table('participations') as batch:
        batch.add_column(sa.Column('source_org_id', sa.String(length=80), nullable=True))
        batch.create_index('ix_participations_source_org_id', ['source_org_id'])
    with op.batch_alter_table('activities') as batch:
        batch.add_column(sa.Column('same_as', sa.String(length=80), nullable=True))
        batch.create_index('ix_activities_same_as', ['same_as'])
    op.execute("UPDATE participations SET source_org_id = organisation_id")


def downgrade() -> None:
    with op.batch_alter_table('activities') as batch:
        batch.drop_index('ix_activities_same_as')
        batch.drop_column('same_as')
    with op.batch_alter_table('participations') as batch:
        batch.drop_index('ix_participations_source_org_id')
        batch.drop_column('source_org_id')
    with op.batch_alter_table('organisations') as batch:
        batch.drop_index('ix_organisations_merged_into')
        batch.drop_column('merged_into')
        batch.drop_column('parent_id')
    for table in ('blocking_keys', 'merge_decisions', 'merge_candidates'):
        op.drop_table(table)
