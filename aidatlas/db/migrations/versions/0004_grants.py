"""small grants: roles, programmes, calls, alumni, applications, review, awards, reports, outbox, audit log

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-24 09:00:00

`user_roles` gives every account that existed before this revision the role `editor` (they added registry
documents; they keep that right). `audit_log` is append-only: triggers refuse UPDATE and DELETE on SQLite
and PostgreSQL alike.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = '0004'
down_revision = '0003'
branch_labels = None
depends_on = None


def _id() -> sa.Column:
    return sa.Column('id', sa.Integer(), primary_key=True, autoincrement=True)


def upgrade() -> None:
    op.create_table(
        'user_roles',
        sa.Column('user_id', sa.Integer(), sa.ForeignKey('users.id', name=op.f('fk_user_roles_user_id_users'),
                                                          ondelete='CASCADE'), nullable=False),
        sa.Column('role', sa.String(length=20), nullable=False),
        sa.PrimaryKeyConstraint('user_id', 'role', name=op.f('pk_user_roles')),
    )
    op.execute("INSERT INTO user_roles (user_id, role) SELECT id, 'editor' FROM users")
    op.create_table(
        'grant_programmes', _id(),
        sa.Column('name', sa.String(300), nullable=False),
        sa.Column('funder', sa.String(300), nullable=False),
        sa.Column('funder_ref', sa.String(80), nullable=True),
        sa.Column('currency', sa.String(3), nullable=False),
        sa.Column('description', sa.Text(), nullable=False),
        sa.Column('kind', sa.String(20), nullable=False),
        sa.Column('created_at', sa.Integer(), nullable=False),
    )
    op.create_table(
        'grant_calls', _id(),
        sa.Column('programme_id', sa.Integer(), sa.ForeignKey('grant_programmes.id'), nullable=False),
        sa.Column('title', sa.String(300), nullable=False),
        sa.Column('description', sa.Text(), nullable=False),
        sa.Column('status', sa.String(10), nullable=False),
        sa.Column('opens_at', sa.Integer(), nullable=False),
        sa.Column('closes_at', sa.Integer(), nullable=False),
        sa.Column('time_zone', sa.String(60), nullable=False),
        sa.Column('currency', sa.String(3), nullable=False),
        sa.Column('ceiling_per_grant', sa.Float(), nullable=False),
        sa.Column('total_budget', sa.Float(), nullable=False),
        sa.Column('countries', sa.Text(), nullable=False),
        sa.Column('activity_types', sa.Text(), nullable=False),
        sa.Column('rules', sa.Text(), nullable=False),
        sa.Column('rubric', sa.Text(), nullable=False),
        sa.Column('kind', sa.String(20), nullable=True),
        sa.Column('created_at', sa.Integer(), nullable=False),
    )
    op.create_index('ix_grant_calls_programme_id', 'grant_calls', ['programme_id'])
    op.create_table(
        'grant_courses', _id(),
        sa.Column('title', sa.String(300), nullable=False),
        sa.Column('course_type', sa.String(20), nullable=False),
        sa.Column('length_years', sa.Integer(), nullable=False),
        sa.Column('first_year', sa.Integer(), nullable=False),
        sa.Column('country', sa.String(2), nullable=True),
    )
    op.create_table(
        'grant_organisations', _id(),
        sa.Column('name', sa.String(300), nullable=False),
        sa.Column('country', sa.String(2), nullable=True),
        sa.Column('org_type', sa.String(30), nullable=False),
        sa.Column('registered', sa.Boolean(), nullable=False),
        sa.Column('registration_number', sa.String(80), nullable=True),
        sa.Column('thematic_areas', sa.Text(), nullable=False),
        sa.Column('scope', sa.String(20), nullable=True),
        sa.Column('member_countries', sa.Text(), nullable=False),
        sa.Column('owner_user_id', sa.Integer(), sa.ForeignKey('users.id', ondelete='SET NULL'), nullable=True),
    )
    op.create_table(
        'grant_alumni', _id(),
        sa.Column('name', sa.String(200), nullable=False),
        sa.Column('country', sa.String(2), nullable=False),
        sa.Column('course_id', sa.Integer(), sa.ForeignKey('grant_courses.id'), nullable=False),
        sa.Column('cohort', sa.Integer(), nullable=False),
        sa.Column('organisation_id', sa.Integer(), sa.ForeignKey('grant_organisations.id', ondelete='SET NULL'),
                  nullable=True),
        sa.Column('consent_at', sa.Integer(), nullable=False),
        sa.Column('consent_text', sa.Text(), nullable=False),
    )
    op.create_index('ix_grant_alumni_course_id', 'grant_alumni', ['course_id'])
    op.create_index('ix_grant_alumni_organisation_id', 'grant_alumni', ['organisation_id'])
    op.create_table(
        'grant_association_members',
        sa.Column('association_id', sa.Integer(), sa.ForeignKey('grant_organisations.id', ondelete='CASCADE'),
                  primary_key=True),
        sa.Column('alumnus_id', sa.Integer(), sa.ForeignKey('grant_alumni.id', ondelete='CASCADE'),
                  primary_key=True),
    )
    op.create_table(
        'grant_applications', _id(),
        sa.Column('call_id', sa.Integer(), sa.ForeignKey('grant_calls.id'), nullable=False),
        sa.Column('owner_user_id', sa.Integer(), sa.ForeignKey('users.id'), nullable=False),
        sa.Column('status', sa.String(12), nullable=False),
        sa.Column('data', sa.Text(), nullable=False),
        sa.Column('version', sa.Integer(), nullable=False),
        sa.Column('requested_amount', sa.Float(), nullable=True),
        sa.Column('title', sa.String(500), nullable=True),
        sa.Column('currency', sa.String(3), nullable=True),
        sa.Column('applicant_name', sa.String(300), nullable=True),
        sa.Column('eligibility', sa.Text(), nullable=True),
        sa.Column('decision_reason', sa.Text(), nullable=True),
        sa.Column('awarded_amount', sa.Float(), nullable=True),
        sa.Column('created_at', sa.Integer(), nullable=False),
        sa.Column('updated_at', sa.Integer(), nullable=False),
        sa.Column('submitted_at', sa.Integer(), nullable=True),
    )
    op.create_index('ix_grant_applications_owner_user_id', 'grant_applications', ['owner_user_id'])
    op.create_index('ix_grant_applications_call_status', 'grant_applications', ['call_id', 'status'])
    op.create_table(
        'grant_application_versions',
        sa.Column('application_id', sa.Integer(), sa.ForeignKey('grant_applications.id'), primary_key=True),
        sa.Column('version', sa.Integer(), primary_key=True),
        sa.Column('data', sa.Text(), nullable=False),
        sa.Column('submitted_at', sa.Integer(), nullable=False),
    )
    op.create_table(
        'grant_assignments',
        sa.Column('application_id', sa.Integer(), sa.ForeignKey('grant_applications.id'), primary_key=True),
        sa.Column('reviewer_id', sa.Integer(), sa.ForeignKey('users.id'), primary_key=True),
        sa.Column('assigned_by', sa.Integer(), sa.ForeignKey('users.id'), nullable=False),
        sa.Column('assigned_at', sa.Integer(), nullable=False),
        sa.Column('conflict', sa.Boolean(), nullable=False),
        sa.Column('conflict_reason', sa.Text(), nullable=True),
    )
    op.create_index('ix_grant_assignments_reviewer', 'grant_assignments', ['reviewer_id'])
    op.create_table(
        'grant_scores',
        sa.Column('application_id', sa.Integer(), sa.ForeignKey('grant_applications.id'), primary_key=True),
        sa.Column('reviewer_id', sa.Integer(), sa.ForeignKey('users.id'), primary_key=True),
        sa.Column('scores', sa.Text(), nullable=False),
        sa.Column('weighted', sa.Float(), nullable=False),
        sa.Column('comment', sa.Text(), nullable=False),
        sa.Column('scored_at', sa.Integer(), nullable=False),
    )
    op.create_table(
        'grant_awards', _id(),
        sa.Column('application_id', sa.Integer(), sa.ForeignKey('grant_applications.id'), nullable=False,
                  unique=True),
        sa.Column('amount', sa.Float(), nullable=False),
        sa.Column('currency', sa.String(3), nullable=False),
        sa.Column('activity_id', sa.String(80), nullable=False),
        sa.Column('iati_identifier', sa.String(150), nullable=False),
        sa.Column('status', sa.String(10), nullable=False),
        sa.Column('start', sa.String(10), nullable=False),
        sa.Column('end', sa.String(10), nullable=False),
        sa.Column('interim_due', sa.String(10), nullable=True),
        sa.Column('final_due', sa.String(10), nullable=False),
        sa.Column('created_at', sa.Integer(), nullable=False),
        sa.Column('completed_at', sa.Integer(), nullable=True),
    )
    op.create_table(
        'grant_reports', _id(),
        sa.Column('award_id', sa.Integer(), sa.ForeignKey('grant_awards.id'), nullable=False),
        sa.Column('kind', sa.String(10), nullable=False),
        sa.Column('results', sa.Text(), nullable=False),
        sa.Column('participants_reached', sa.Integer(), nullable=False),
        sa.Column('submitted_by', sa.Integer(), sa.ForeignKey('users.id'), nullable=False),
        sa.Column('submitted_at', sa.Integer(), nullable=False),
    )
    op.create_index('ix_grant_reports_award_id', 'grant_reports', ['award_id'])
    op.create_table(
        'grant_attachments', _id(),
        sa.Column('application_id', sa.Integer(), sa.ForeignKey('grant_applications.id'), nullable=False),
        sa.Column('report_id', sa.Integer(), sa.ForeignKey('grant_reports.id'), nullable=True),
        sa.Column('filename', sa.String(255), nullable=False),
        sa.Column('media_type', sa.String(100), nullable=False),
        sa.Column('size', sa.Integer(), nullable=False),
        sa.Column('stored_name', sa.String(80), nullable=False, unique=True),
        sa.Column('sha256', sa.String(64), nullable=False),
        sa.Column('uploaded_by', sa.Integer(), sa.ForeignKey('users.id'), nullable=False),
        sa.Column('uploaded_at', sa.Integer(), nullable=False),
    )
    op.create_index('ix_grant_attachments_application_id', 'grant_attachments', ['application_id'])
    op.create_table(
        'outbox', _id(),
        sa.Column('created_at', sa.Integer(), nullable=False),
        sa.Column('recipient', sa.String(300), nullable=False),
        sa.Column('subject', sa.String(300), nullable=False),
        sa.Column('body', sa.Text(), nullable=False),
        sa.Column('sent_at', sa.Integer(), nullable=True),
    )
    op.create_table(
        'audit_log', _id(),
        sa.Column('at', sa.Integer(), nullable=False),
        sa.Column('actor', sa.String(80), nullable=False),
        sa.Column('action', sa.String(60), nullable=False),
        sa.Column('entity', sa.String(40), nullable=False),
        sa.Column('entity_id', sa.String(80), nullable=False),
        sa.Column('before', sa.Text(), nullable=True),
        sa.Column('after', sa.Text(), nullable=True),
        sqlite_autoincrement=True,
    )
    op.create_index('ix_audit_log_entity', 'audit_log', ['entity', 'entity_id'])
    if op.get_context().dialect.name == 'postgresql':
        op.execute("""CREATE FUNCTION aidatlas_audit_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
            BEGIN RAISE EXCEPTION 'audit_log is append-only: % refused', TG_OP; END $$""")
        op.execute("CREATE TRIGGER audit_log_append_only BEFORE UPDATE OR DELETE ON audit_log "
                   "FOR EACH ROW EXECUTE FUNCTION aidatlas_audit_append_only()")
        op.execute("CREATE TRIGGER audit_log_no_truncate BEFORE TRUNCATE ON audit_log "
                   "FOR EACH STATEMENT EXECUTE FUNCTION aidatlas_audit_append_only()")
    else:
        op.execute("""CREATE TRIGGER audit_log_no_update BEFORE UPDATE ON audit_log BEGIN
            SELECT RAISE(ABORT, 'audit_log is append-only: UPDATE refused'); END""")
        op.execute("""CREATE TRIGGER audit_log_no_delete BEFORE DELETE ON audit_log BEGIN
            SELECT RAISE(ABORT, 'audit_log is append-only: DELETE refused'); END""")


def downgrade() -> None:
    if op.get_context().dialect.name == 'postgresql':
        op.execute("DROP TRIGGER IF EXISTS audit_log_no_truncate ON audit_log")
        op.execute("DROP TRIGGER IF EXISTS audit_log_append_only ON audit_log")
        op.execute("DROP FUNCTION IF EXISTS aidatlas_audit_append_only()")
    else:
        op.execute("DROP TRIGGER IF EXISTS audit_log_no_update")
        op.execute("DROP TRIGGER IF EXISTS audit_log_no_delete")
    for table in ('audit_log', 'outbox', 'grant_attachments', 'grant_reports', 'grant_awards', 'grant_scores',
                  'grant_assignments', 'grant_application_versions', 'grant_applications',
                  'grant_association_members', 'grant_alumni', 'grant_organisations', 'grant_courses',
                  'grant_calls', 'grant_programmes', 'user_roles'):
        op.drop_table(table)
