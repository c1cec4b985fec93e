"""transactions and planned disbursements of IATI activities

Revision ID: 0006
Revises: 0005
Create Date: 2026-12-04 18:40:00

One table for both money flows an IATI activity reports: `flow='transaction'` (type: TransactionType code,
`date`: transaction-date) and `flow='planned'` (type: BudgetType code, `date`…`end_date`: its period).
Activities imported before this revision have none stored: importing their file again fills them in (their
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


def downgrade() -> None:
    op.drop_index(op.f('ix_transactions_type'), table_name='transactions')
    op.drop_table('transactions')
