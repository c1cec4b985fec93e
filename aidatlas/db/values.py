"""Values every supported database can hold, decided here rather than by a driver.

SQLite stores a NUL character and a string longer than its column's declared length; PostgreSQL refuses
both (`StringDataRightTruncation`, "NUL not allowed"). So before a row is written, NULs are dropped from its
text (they carry no meaning in a document or a narrative), and a value longer than its column is refused
with a `StoreError` naming the column and the length — on both databases alike.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from functools import cache
from typing import Any

from sqlalchemy import ColumnElement, Connection, String, Table, any_, bindparam
from sqlalchemy.exc import DBAPIError
from sqlalchemy.types import ARRAY

from aidatlas.errors import StoreError
from aidatlas.records import Activity


def without_nul(activity: Activity) -> Activity:
    """The activity itself, or a copy without NUL characters when it has some: they would reach queries
    (an organisation looked up by name) before any row is written."""
    raw = activity.model_dump_json()
    if "\\u0000" not in raw:
        return activity
    return Activity.model_validate_json(raw.replace("\\u0000", ""))


@cache
def _limits(table: Table) -> tuple[tuple[str, int], ...]:
    return tuple((c.name, c.type.length) for c in table.columns
                 if isinstance(c.type, String) and c.type.length is not None)


def checked_rows(table: Table, rows: Iterable[dict[str, Any]]) -> list[dict[str, Any]]:
    """The rows, NUL characters dropped from their strings; a string longer than its column is refused."""
    limits = _limits(table)
    out = []
    for row in rows:
        for key, value in row.items():
            if isinstance(value, str) and "\x00" in value:
                row[key] = value.replace("\x00", "")
        for column, length in limits:
            value = row.get(column)
            if isinstance(value, str) and len(value) > length:
                shown = value[:40] + "…"
                raise StoreError(f"{table.name}.{column}: {shown!r} is {len(value):,} characters long; "
                                 f"the registry holds at most {length}")
        out.append(row)
    return out


def copy_rows(conn: Connection, table: str, columns: Sequence[str], rows: Iterable[Sequence[Any]]) -> None:
    """Rows into a PostgreSQL table by COPY, in the caller's transaction: one stream instead of a statement per
    row (pipelined INSERTs spend most of a bulk load in the driver's per-row work)."""
    import psycopg  # the PostgreSQL driver: only a PostgreSQL connection gets here

    quote = conn.dialect.identifier_preparer.quote
    sql = f"COPY {quote(table)} ({', '.join(quote(c) for c in columns)}) FROM STDIN"
    cursor = conn.connection.driver_connection.cursor()  # type: ignore[union-attr]
    try:
        with cursor.copy(sql) as copy:
            for row in rows:
                copy.write_row(row)
    except psycopg.Error as exc:  # as SQLAlchemy's own statements would fail (IntegrityError …)
        raise DBAPIError.instance(sql, None, exc, psycopg.Error) from exc


def among(conn: Connection, column: ColumnElement[Any], values: Iterable[Any]) -> ColumnElement[bool]:
    """`column IN (values)`, as `column = ANY(:array)` on PostgreSQL: one parameter instead of one per value,
    so a batch of 1,000 ids is not compiled, cast and parsed a thousand times over (a 10k-activity import
    took 40.7 s with IN lists, 32.5 s with arrays)."""
    if conn.dialect.name == "postgresql":
        return column == any_(bindparam(None, list(values), type_=ARRAY(column.type)))
    return column.in_(list(values))


def insert_new(conn: Connection, table: Table, rows: list[dict[str, Any]]) -> None:
    """Insert the rows whose key is not there yet (`ON CONFLICT DO NOTHING`): rows that concurrent writers may
    both bring (an organisation, a search term). Give them in key order, so two writers take the keys' locks
    in the same order and cannot deadlock."""
    if conn.dialect.name == "postgresql":
        from sqlalchemy.dialects.postgresql import insert as dialect_insert
    else:
        from sqlalchemy.dialects.sqlite import insert as dialect_insert  # type: ignore[assignment]
    conn.execute(dialect_insert(table).on_conflict_do_nothing(), checked_rows(table, rows))
