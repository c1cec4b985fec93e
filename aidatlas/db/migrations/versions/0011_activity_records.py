"""activity_records: each activity's record JSON as readers see it, for pages from one query

Revision ID: 0011
Revises: 0009
Create Date: 2026-12-05 07:40:00

`activity_records` holds the record JSON of every activity (editors' corrections laid over), rewritten when
the activity is indexed for search (`aidatlas.db.activity_records`). Existing activities are filled here, in
batches, by the store's reader of this version (a later revision that changes what it reads must fill the
table itself or come after this one on old files).
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = '0011'
down_revision = '0009'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        'activity_records',
        sa.Column('activity_id', sa.String(80), nullable=False),
        sa.Column('json', sa.Text(), nullable=False),
        sa.ForeignKeyConstraint(['activity_id'], ['activities.id'],
                                name=op.f('fk_activity_records_activity_id_activities'), ondelete='CASCADE'),
        sa.PrimaryKeyConstraint('activity_id', name=op.f('pk_activity_records')),
    )
    from aidatlas.db.activity_records import write_records
    from aidatlas.db.store import Store
    from aidatlas.db.tables import batched

    conn = op.get_bind()
    ids = list(conn.execute(sa.text("SELECT id FROM activities ORDER BY id")).scalars())
    for chunk in batched(ids, 1000):
        write_records(conn, Store.read_activities(conn, chunk))


def downgrade() -> None:
    op.drop_table('activity_records')
