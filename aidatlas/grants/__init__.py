"""A small-grants programme on the registry: calls, alumni, applications, eligibility, review, awards, reports.

Start with `Grants` (service.py); returned values are the dataclasses of models.py. Awards flow into the
registry as `Activity` records, so they appear in search and in the IATI export.
"""

from aidatlas.grants.models import (
    STEPS,
    Alumnus,
    Application,
    Assignment,
    Attachment,
    AuditEntry,
    Award,
    Call,
    Course,
    Criterion,
    Organisation,
    OutboxMessage,
    OverdueReport,
    Programme,
    RankRow,
    Report,
    RuleResult,
    Score,
    StepResult,
    Version,
)
from aidatlas.grants.service import Grants

__all__ = [
    "STEPS", "Alumnus", "Application", "Assignment", "Attachment", "AuditEntry", "Award", "Call", "Course",
    "Criterion", "Grants", "Organisation", "OutboxMessage", "OverdueReport", "Programme", "RankRow", "Report",
    "RuleResult", "Score", "StepResult", "Version",
]
