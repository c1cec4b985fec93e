"""Storage: SQLAlchemy tables, engine, Alembic migrations, and the Activity ↔ rows mapping."""
