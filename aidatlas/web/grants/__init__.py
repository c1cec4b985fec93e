"""The grants pages (calls, applications, review of applications, officer, reports, alumni, sign-up), one module
per resource; `ROUTERS` in the order the app includes them. The library is `aidatlas.grants`."""

from __future__ import annotations

from fastapi import APIRouter

from aidatlas.web.grants import (
    alumni,
    application_review,
    applications,
    call_admin,
    calls,
    inbox,
    memberships,
    officer,
    reports,
    signup,
)

ROUTERS: list[APIRouter] = [signup.router, call_admin.router, calls.router, applications.router,
                            application_review.router, officer.router, reports.router, alumni.router,
                            memberships.router, inbox.router]
