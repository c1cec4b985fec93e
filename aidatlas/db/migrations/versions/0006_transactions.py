"""transactions and planned disbursements of IATI activities; each imported activity's own XML

Revision ID: 0006
Revises: 0005
Create Date: 2026-12-04 18:40:00

One table for both money flows an IATI activity reports: `flow='transaction'` (type: TransactionType code,
`date`: transaction-date) and `flow='planned'` (type: BudgetType code, `date`…`end_date`: its period).
`iati_sources` keeps an imported activity's own `iati-activity` element (its XML) and the record's hash
when read, so an unchanged record is exported as its publisher wrote it (`records.IatiSource`).
Activities imported before this revision have none of these stored: importing their file again fills them in (their
content hash changes, so they count as updated).
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = '0006'
down_revision = '0005'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        'transactions',
        sa.Column('activity_id', sa.String(length=80), nullable=False),
        sa.Column('flow', sa.String(length=12), nullable=False),
        sa.Column('position', sa.Integer(), nullable=False),
        sa.Column('type', sa.Text(), nullable=True),
        sa.Column('date', sa.String(length=10), nullable=True),
        sa.Column('end_date', sa.String(length=10), nullable=True),
        sa.Column('value', sa.Float(), nullable=False),
        sa.Column('currency', sa.String(length=3), nullable=True),
        sa.Column('value_date', sa.String(length=10), nullable=True),
        sa.Column('provider_name', sa.Text(), nullable=True),
        sa.Column('provider_ref', sa.Text(), nullable=True),
        sa.Column('receiver_name', sa.Text(), nullable=True),
        sa.Column('receiver_ref', sa.Text(), nullable=True),
        sa.Column('ref', sa.Text(), nullable=True),
        sa.Column('description', sa.Text(), nullable=True),
        sa.Column('sector_code', sa.Text(), nullable=True),
        sa.Column('sector_vocabulary', sa.Text(), nullable=True),
        sa.Column('recipient_country', sa.String(length=2), nullable=True),
        sa.ForeignKeyConstraint(['activity_id'], ['activities.id'],
                                name=op.f('fk_transactions_activity_id_activities'), ondelete='CASCADE'),
        sa.PrimaryKeyConstraint('activity_id', 'flow', 'position', name=op.f('pk_transactions')),
    )
    op.create_index(op.f('ix_transactions_type'), 'transactions', ['type'])
    op.create_table(
        'iati_sources',
        sa.Column('activity_id', sa.String(length=80), nullable=False),
        sa.Column('xml', sa.Text(), nullable=False),
        sa.Column('digest', sa.String(length=64), nullable=False),
        sa.ForeignKeyConstraint(['activity_id'], ['activities.id'],
                                name=op.f('fk_iati_sources_activity_id_activities'), ondelete='CASCADE'),
        sa.PrimaryKeyConstraint('activity_id', name=op.f('pk_iati_sources')),
    )


def downgrade() -> None:
    op.drop_table('iati_sources')
    op.drop_index(op.f('ix_transactions_type'), table_name='transactions')
    op.drop_table('transactions')
