"""The routers of the grants pages, in the order the app includes them."""

from __future__ import annotations

from fastapi import APIRouter

from aidatlas.web import (
    grants_alumni,
    grants_applications,
    grants_calls,
    grants_officer,
    grants_reports,
    grants_review,
    grants_signup,
)

GRANTS_ROUTERS: list[APIRouter] = [grants_signup.router, grants_calls.router, grants_applications.router,
                                   grants_review.router, grants_officer.router, grants_reports.router,
                                   grants_alumni.router]
