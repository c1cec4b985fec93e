"""Alembic environment: the engine comes from the caller (aidatlas.db.engine.upgrade), never from an ini."""

from __future__ import annotations

from alembic import context

from aidatlas.db.tables import Base

engine = context.config.attributes["engine"]
with engine.begin() as connection:
    context.configure(connection=connection, target_metadata=Base.metadata,
                      render_as_batch=connection.dialect.name == "sqlite")
    context.run_migrations()
