"""What an IATI activity says that an `Activity` record has no field for: transactions, the budget lines
behind the budget total, regions, percentages, document links, related activities.

The reader yields `IatiRecord(activity, extras)` pairs so nothing read is silently dropped: the store keeps
the `Activity` (budgets summed into `Activity.budget`), and a caller that wants the money flows or the
document links has them here. `Activity.equivalents` stays what it means — the same total in another
currency — and is never used for transaction sums.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal
from typing import NamedTuple

from aidatlas.iati.mapping import PARENT_RELATION
from aidatlas.records import Activity
from aidatlas.reference.codelists import codelists


@dataclass(frozen=True)
class Transaction:
    type: str
    """TransactionType code (2 = outgoing commitment, 3 = disbursement, 4 = expenditure, ...)"""
    date: str | None
    value: Decimal
    currency: str | None
    value_date: str | None = None
    provider: str | None = None
    receiver: str | None = None


@dataclass(frozen=True)
class BudgetLine:
    type: str
    """BudgetType code: 1 original, 2 revised"""
    status: str
    period_start: str | None
    period_end: str | None
    value: Decimal
    currency: str | None
    value_date: str | None = None


@dataclass(frozen=True)
class Share:
    """A recipient country or region with its vocabulary and percentage, as published."""

    code: str
    percentage: float | None = None
    vocabulary: str | None = None


@dataclass(frozen=True)
class DocumentLink:
    url: str
    title: str | None = None
    category: str | None = None


@dataclass
class IatiExtras:
    iati_identifier: str
    line: int | None = None
    """line of the iati-activity element in the file"""
    reporting_org_ref: str | None = None
    reporting_org_name: str | None = None
    hierarchy: int | None = None
    default_currency: str | None = None
    dates: dict[str, str] = field(default_factory=dict)
    """ActivityDateType code → iso-date, every date published (the record keeps start and end)"""
    transactions: list[Transaction] = field(default_factory=list)
    budgets: list[BudgetLine] = field(default_factory=list)
    recipient_countries: list[Share] = field(default_factory=list)
    recipient_regions: list[Share] = field(default_factory=list)
    document_links: list[DocumentLink] = field(default_factory=list)
    related: list[tuple[str, str]] = field(default_factory=list)
    """(RelatedActivityType code, iati-identifier) pairs"""
    warnings: list[str] = field(default_factory=list)
    """what could not be carried into the record, and why"""

    def transaction_totals(self) -> dict[tuple[str, str], Decimal]:
        """Sum of transaction values per (type code, currency); those without a currency are skipped."""
        totals: dict[tuple[str, str], Decimal] = defaultdict(Decimal)
        for tx in self.transactions:
            if tx.currency:
                totals[(tx.type, tx.currency)] += tx.value
        return dict(totals)

    def parents(self) -> list[str]:
        """Identifiers of parent activities (RelatedActivityType "Parent")."""
        parent = codelists().code("RelatedActivityType", PARENT_RELATION)
        return [ref for kind, ref in self.related if kind == parent]


class IatiRecord(NamedTuple):
    activity: Activity
    extras: IatiExtras
