"""A throwaway PostgreSQL schema for a benchmark run, dropped afterwards (shared by the benchmarks)."""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from contextlib import contextmanager

PG = "postgresql+psycopg://postgres@127.0.0.1:5432/test"


@contextmanager
def temporary_schema(prefix: str = "bench") -> Iterator[str | None]:
    """Yield a database URL whose search_path is a fresh schema, or None (with a message) without a server."""
    try:
        import psycopg

        schema = f"{prefix}_{uuid.uuid4().hex[:8]}"
        with psycopg.connect(PG.replace("+psycopg", ""), autocommit=True, connect_timeout=2) as conn:
            conn.execute(f'CREATE SCHEMA "{schema}"')
    except Exception as exc:
        print(f"postgres   skipped: no server at {PG} ({exc.__class__.__name__})")
        yield None
        return
    try:
        yield f"{PG}?options=-csearch_path%3D{schema}"
    finally:
        with psycopg.connect(PG.replace("+psycopg", ""), autocommit=True) as conn:
            conn.execute(f'DROP SCHEMA "{schema}" CASCADE')
