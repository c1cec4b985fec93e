"""Brochure curation: completing a grant publishes nothing by itself; an officer chooses which completed
grants the public brochure shows, each with a short story and, if wanted, a photo from its reports."""

from __future__ import annotations

from sqlalchemy import delete, insert, select

from aidatlas.auth import User
from aidatlas.db.tables import table_of
from aidatlas.errors import ConflictError, InputError
from aidatlas.grants import audit
from aidatlas.grants.attachments import ATTACHMENTS
from aidatlas.grants.awards import load_award
from aidatlas.grants.context import Context
from aidatlas.grants.tables import BrochureEntryRow

CHOSEN = table_of(BrochureEntryRow)
PHOTO_TYPES = ("image/png", "image/jpeg")
MAX_STORY = 1500


def choose(ctx: Context, actor: User, award_id: int, story: str, photo_attachment_id: int | None) -> None:
    """Put a completed grant in the brochure (choosing again replaces its story and photo)."""
    ctx.require(actor, "officer", action="choosing grants for the brochure")
    story = story.strip()
    if not story or len(story) > MAX_STORY:
        raise InputError("brochure story", f"write a short story of the grant (1 to {MAX_STORY} characters)")
    with ctx.begin() as conn:
        award = load_award(ctx, conn, actor, award_id)
        if award.status != "completed":
            raise ConflictError(f"grant {award_id} is {award.status}; only completed grants go in the brochure")
        if photo_attachment_id is not None:
            photo = conn.execute(select(ATTACHMENTS.c.application_id, ATTACHMENTS.c.media_type)
                                 .where(ATTACHMENTS.c.id == photo_attachment_id)).first()
            if photo is None or photo.application_id != award.application_id or photo.media_type not in PHOTO_TYPES:
                raise InputError("brochure photo", "choose a PNG or JPEG attached to this grant's application "
                                                   "or reports")
        old = conn.execute(select(CHOSEN.c.story).where(CHOSEN.c.award_id == award_id)).first()
        conn.execute(delete(CHOSEN).where(CHOSEN.c.award_id == award_id))
        conn.execute(insert(CHOSEN).values(award_id=award_id, story=story, photo_attachment_id=photo_attachment_id,
                                           chosen_by=actor.id, chosen_at=ctx.ts()))
        audit.record(ctx, conn, actor, "brochure.choose", "award", award_id,
                     {"chosen": old is not None}, {"chosen": True, "photo": photo_attachment_id})


def withdraw(ctx: Context, actor: User, award_id: int) -> None:
    ctx.require(actor, "officer", action="taking a grant out of the brochure")
    with ctx.begin() as conn:
        if conn.execute(delete(CHOSEN).where(CHOSEN.c.award_id == award_id)).rowcount:
            audit.record(ctx, conn, actor, "brochure.withdraw", "award", award_id, {"chosen": True},
                         {"chosen": False})


def chosen_awards(ctx: Context) -> dict[int, str]:
    """award id -> story of every grant in the brochure."""
    with ctx.engine.connect() as conn:
        return {int(r.award_id): r.story for r in conn.execute(select(CHOSEN.c.award_id, CHOSEN.c.story))}
