"""Uploaded documents waiting for their preview to be saved or discarded (the web app's `uploads` table).

An upload belongs to the user who sent it; uploads older than `UPLOAD_TTL` go when a new one arrives.
"""

from __future__ import annotations

import secrets
import time
from typing import Any

from sqlalchemy import Engine, delete, insert, select

from aidatlas.db.accounts import UploadRow
from aidatlas.db.tables import table_of

UPLOADS = table_of(UploadRow)
UPLOAD_TTL = 24 * 3600


def park(engine: Engine, user_id: int, name: str, media_type: str, content: bytes) -> str:
    """Keep an upload until it is saved or discarded; returns its id (unguessable: it is in URLs)."""
    upload_id = secrets.token_urlsafe(16)
    now = int(time.time())
    with engine.begin() as conn:
        conn.execute(delete(UPLOADS).where(UPLOADS.c.created_at < now - UPLOAD_TTL))
        conn.execute(insert(UPLOADS).values(id=upload_id, user_id=user_id, name=name, media_type=media_type,
                                            content=content, created_at=now))
    return upload_id


def parked(engine: Engine, upload_id: str, user_id: int) -> dict[str, Any] | None:
    """The upload's row, if it exists and is this user's."""
    with engine.connect() as conn:
        row = conn.execute(select(UPLOADS).where(UPLOADS.c.id == upload_id, UPLOADS.c.user_id == user_id)
                           ).mappings().first()
    return None if row is None else dict(row)


def discard(engine: Engine, upload_id: str, user_id: int | None = None) -> None:
    """Drop an upload (only this user's when `user_id` is given)."""
    query = delete(UPLOADS).where(UPLOADS.c.id == upload_id)
    if user_id is not None:
        query = query.where(UPLOADS.c.user_id == user_id)
    with engine.begin() as conn:
        conn.execute(query)
