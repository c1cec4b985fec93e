"""curation: editors' corrections as an overlay, public error reports, personal API tokens

Revision ID: 0007
Revises: 0006
Create Date: 2026-12-04 18:30:00

`activity_edits` keeps each correction of one field of one activity (new value, the value before, the source's
value, who, when, why, reverted by/when, and whether the source changed since); the stored rows of the activity
are never touched. `error_reports` holds what the public reported (never shown publicly); `api_tokens` the
editors' personal tokens (SHA-256 only).
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = '0007'
down_revision = '0006'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        'activity_edits',
        sa.Column('id', sa.Integer(), primary_key=True, autoincrement=True),
        sa.Column('activity_id', sa.String(80), nullable=False),
        sa.Column('field', sa.String(40), nullable=False),
        sa.Column('value', sa.Text(), nullable=False),
        sa.Column('previous', sa.Text(), nullable=False),
        sa.Column('source', sa.Text(), nullable=False),
        sa.Column('actor', sa.String(80), nullable=False),
        sa.Column('at', sa.Integer(), nullable=False),
        sa.Column('reason', sa.Text(), nullable=False),
        sa.Column('reverted_by', sa.String(80), nullable=True),
        sa.Column('reverted_at', sa.Integer(), nullable=True),
        sa.Column('revert_reason', sa.Text(), nullable=True),
        sa.Column('source_changed', sa.Boolean(), nullable=False, server_default=sa.false()),
        sa.Column('source_now', sa.Text(), nullable=True),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_activity_edits')),
        sqlite_autoincrement=True,
    )
    op.create_index('ix_activity_edits_activity_id', 'activity_edits', ['activity_id'])
    op.create_index('ix_activity_edits_source_changed', 'activity_edits', ['source_changed'])
    op.create_index('ix_activity_edits_field', 'activity_edits', ['activity_id', 'field'])
    op.create_table(
        'error_reports',
        sa.Column('id', sa.Integer(), primary_key=True, autoincrement=True),
        sa.Column('activity_id', sa.String(80), nullable=False),
        sa.Column('field', sa.String(40), nullable=True),
        sa.Column('message', sa.Text(), nullable=False),
        sa.Column('contact', sa.String(200), nullable=True),
        sa.Column('address', sa.String(64), nullable=False),
        sa.Column('created_at', sa.Integer(), nullable=False),
        sa.Column('status', sa.String(12), nullable=False),
        sa.Column('resolved_by', sa.String(80), nullable=True),
        sa.Column('resolved_at', sa.Integer(), nullable=True),
        sa.Column('resolution', sa.Text(), nullable=True),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_error_reports')),
        sqlite_autoincrement=True,
    )
    op.create_index('ix_error_reports_status', 'error_reports', ['status'])
    op.create_index('ix_error_reports_address', 'error_reports', ['address', 'created_at'])
    op.create_table(
        'api_tokens',
        sa.Column('id', sa.Integer(), primary_key=True, autoincrement=True),
        sa.Column('user_id', sa.Integer(), sa.ForeignKey('users.id', name=op.f('fk_api_tokens_user_id_users'),
                                                         ondelete='CASCADE'), nullable=False),
        sa.Column('name', sa.String(80), nullable=False),
        sa.Column('token_hash', sa.String(64), nullable=False),
        sa.Column('scope', sa.String(8), nullable=False),
        sa.Column('created_at', sa.Integer(), nullable=False),
        sa.Column('revoked_at', sa.Integer(), nullable=True),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_api_tokens')),
        sa.UniqueConstraint('token_hash', name=op.f('uq_api_tokens_token_hash')),
        sqlite_autoincrement=True,
    )
    op.create_index('ix_api_tokens_user_id', 'api_tokens', ['user_id'])
    _countries_from_refs()


def _countries_from_refs() -> None:
    """Organisations stored before without a country get the one their IATI ref's registration agency names."""
    from aidatlas.reference.orgrefs import country_of_ref

    conn = op.get_bind()
    orgs = sa.table('organisations', sa.column('id', sa.String), sa.column('country', sa.String),
                    sa.column('iati_ref', sa.String))
    rows = conn.execute(sa.select(orgs.c.id, orgs.c.iati_ref).where(orgs.c.country.is_(None),
                                                                     orgs.c.iati_ref.is_not(None))).all()
    for row in rows:
        if country := country_of_ref(row.iati_ref):
            conn.execute(sa.update(orgs).where(orgs.c.id == row.id).values(country=country))


def downgrade() -> None:
    op.drop_table('api_tokens')
    op.drop_table('error_reports')
    op.drop_table('activity_edits')
