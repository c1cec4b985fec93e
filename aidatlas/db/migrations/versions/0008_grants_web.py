"""grants run from the web: memberships, brochure curation, account e-mail, screening reasons, outbox status

Revision ID: 0008
Revises: 0007
Create Date: 2026-12-04 18:40:00

`grant_memberships` holds an account's claim to act for an organisation (pending until confirmed);
`grant_brochure_entries` the completed grants an officer chose for the brochure; `grant_tranches` each grant's
payment schedule (released on approved reports, then paid); `grant_call_forms` the versions of each call's
additional questions (the form builder); `grant_reports` gains the financial part (`spent`
per budget line) and the officer's review (approved or returned with a comment); `account_emails` an
account's address and whether it was verified. `grant_applications.screening_reason` keeps why an application
was found (in)eligible, so the applicant can read it, and `alumni_confirmed_by` the officer who confirmed that
the ex-participants it names are the registry's people. The outbox gets a delivery status per message
(`queued`, `sent`, `failed`, `no-address`), the number of attempts and the last error, and `read_at` for
the in-app inbox.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = '0008'
down_revision = '0007'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        'grant_memberships',
        sa.Column('organisation_id', sa.Integer(), sa.ForeignKey('grant_organisations.id', ondelete='CASCADE'),
                  nullable=False),
        sa.Column('user_id', sa.Integer(), sa.ForeignKey('users.id', ondelete='CASCADE'), nullable=False),
        sa.Column('status', sa.String(10), nullable=False),
        sa.Column('requested_at', sa.Integer(), nullable=False),
        sa.Column('decided_by', sa.Integer(), sa.ForeignKey('users.id', ondelete='SET NULL'), nullable=True),
        sa.Column('decided_at', sa.Integer(), nullable=True),
        sa.PrimaryKeyConstraint('organisation_id', 'user_id', name=op.f('pk_grant_memberships')),
    )
    op.create_index('ix_grant_memberships_user', 'grant_memberships', ['user_id'])
    op.create_table(
        'grant_brochure_entries',
        sa.Column('award_id', sa.Integer(), sa.ForeignKey('grant_awards.id', ondelete='CASCADE'), primary_key=True),
        sa.Column('story', sa.Text(), nullable=False),
        sa.Column('photo_attachment_id', sa.Integer(),
                  sa.ForeignKey('grant_attachments.id', ondelete='SET NULL'), nullable=True),
        sa.Column('chosen_by', sa.Integer(), sa.ForeignKey('users.id'), nullable=False),
        sa.Column('chosen_at', sa.Integer(), nullable=False),
    )
    op.create_table(
        'account_emails',
        sa.Column('user_id', sa.Integer(), sa.ForeignKey('users.id', ondelete='CASCADE'), primary_key=True),
        sa.Column('address', sa.String(320), nullable=False),
        sa.Column('token_hash', sa.String(64), nullable=True),
        sa.Column('verified_at', sa.Integer(), nullable=True),
    )
    op.add_column('grant_applications', sa.Column('screening_reason', sa.Text(), nullable=True))
    op.add_column('grant_applications', sa.Column('alumni_confirmed_by', sa.Integer(), nullable=True))
    op.add_column('outbox', sa.Column('status', sa.String(12), nullable=False, server_default='queued'))
    op.add_column('outbox', sa.Column('attempts', sa.Integer(), nullable=False, server_default='0'))
    op.add_column('outbox', sa.Column('last_error', sa.Text(), nullable=True))
    op.add_column('outbox', sa.Column('read_at', sa.Integer(), nullable=True))
    op.execute("UPDATE outbox SET status = 'sent' WHERE sent_at IS NOT NULL")
    op.create_index('ix_outbox_recipient', 'outbox', ['recipient', 'id'])
    op.add_column('grant_reports', sa.Column('spent', sa.Text(), nullable=True))
    op.add_column('grant_reports', sa.Column('status', sa.String(10), nullable=False, server_default='submitted'))
    op.add_column('grant_reports', sa.Column('review_comment', sa.Text(), nullable=True))
    op.add_column('grant_reports', sa.Column('reviewed_by', sa.Integer(), nullable=True))
    op.add_column('grant_reports', sa.Column('reviewed_at', sa.Integer(), nullable=True))
    op.create_table(
        'grant_tranches',
        sa.Column('id', sa.Integer(), primary_key=True, autoincrement=True),
        sa.Column('award_id', sa.Integer(), sa.ForeignKey('grant_awards.id', ondelete='CASCADE'), nullable=False),
        sa.Column('number', sa.Integer(), nullable=False),
        sa.Column('amount', sa.Float(), nullable=False),
        sa.Column('after_report', sa.String(10), nullable=True),
        sa.Column('status', sa.String(10), nullable=False),
        sa.Column('released_at', sa.Integer(), nullable=True),
        sa.Column('paid_on', sa.String(10), nullable=True),
        sa.Column('reference', sa.String(120), nullable=True),
        sa.Column('recorded_by', sa.Integer(), sa.ForeignKey('users.id'), nullable=True),
    )
    op.create_index('ix_grant_tranches_award_id', 'grant_tranches', ['award_id'])
    op.create_table(
        'grant_call_forms',
        sa.Column('call_id', sa.Integer(), sa.ForeignKey('grant_calls.id', ondelete='CASCADE'), nullable=False),
        sa.Column('version', sa.Integer(), nullable=False),
        sa.Column('questions', sa.Text(), nullable=False),
        sa.Column('created_by', sa.Integer(), sa.ForeignKey('users.id'), nullable=False),
        sa.Column('created_at', sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint('call_id', 'version', name=op.f('pk_grant_call_forms')),
    )


def downgrade() -> None:
    op.drop_table('grant_call_forms')
    op.drop_index('ix_grant_tranches_award_id', 'grant_tranches')
    op.drop_table('grant_tranches')
    with op.batch_alter_table('grant_reports') as batch:
        for column in ('reviewed_at', 'reviewed_by', 'review_comment', 'status', 'spent'):
            batch.drop_column(column)
    op.drop_index('ix_outbox_recipient', 'outbox')
    with op.batch_alter_table('outbox') as batch:
        for column in ('read_at', 'last_error', 'attempts', 'status'):
            batch.drop_column(column)
    with op.batch_alter_table('grant_applications') as batch:
        batch.drop_column('alumni_confirmed_by')
        batch.drop_column('screening_reason')
    op.drop_table('account_emails')
    op.drop_table('grant_brochure_entries')
    op.drop_index('ix_grant_memberships_user', 'grant_memberships')
    op.drop_table('grant_memberships')
