"""One typed settings object, built by the entry point and passed down; nothing is read at import time."""

from __future__ import annotations

import os
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path

DEFAULT_DB_FILE = "aidatlas.db"


@dataclass(frozen=True)
class Settings:
    """Everything configurable. `from_env` is the only place that reads the environment."""

    database_url: str = f"sqlite:///{DEFAULT_DB_FILE}"
    reporting_org_ref: str = "XI-AIDATLAS"
    reporting_org_name: str = "aidatlas registry"
    reporting_org_type: str = "90"
    """IATI OrganisationType of the reporting organisation (90 = Other)"""
    max_upload_bytes: int = 20 * 1024 * 1024
    secret_key: str = field(default="dev-only-change-me", repr=False)
    files_dir: str | None = None
    """where grant attachments are stored (never under the web root); default: beside the SQLite file, or
    ./aidatlas-files"""
    smtp_url: str | None = field(default=None, repr=False)
    """smtp://user:password@host:port?from=address (smtps:// for TLS); unset: notifications stay in the outbox"""
    chromium: str | None = None
    """the Chromium binary that prints brochures to PDF (default: `chromium` on the PATH)"""
    auto_merge_score: float = 0.95
    """organisation matches scoring at least this merge on ingest (logged, undoable); weaker ones are proposed"""
    org_table: str | None = None
    """an extra organisations TSV (same columns as reference/data/organisations.tsv) that extends the built-in one"""
    report_limit: int = 5
    """public error reports stored per address and minute; more posts are answered 429 and not stored"""
    max_document_bytes: int = 20 * 1024 * 1024
    """a document file larger than this is refused before it is read (see docs/extraction.md, "Limits")"""
    max_text_chars: int = 300_000
    """a document whose text is longer is refused: extraction time grows with the text (≈ 100 pages)"""
    max_line_chars: int = 20_000
    """a document with a longer line is refused: no real page has one (a minified or binary file does)"""
    max_pdf_pages: int = 500
    max_html_elements: int = 30_000
    """start tags in an HTML page, counted before it is parsed"""
    import_batch_activities: int = 200
    """IATI activities committed per transaction by `aidatlas import-iati`"""
    busy_timeout: float = 30
    """seconds a SQLite write waits for another writer's lock (then retried a few times, then refused)"""
    web_busy_timeout: float = 5
    """the same for the web app, which answers 503 with Retry-After rather than keep a visitor waiting"""

    @classmethod
    def from_env(cls, env: Mapping[str, str] | None = None, **overrides: object) -> Settings:
        """Settings from `AIDATLAS_*` variables (see `ENVIRONMENT`); unset or empty ones keep the default, and
        `overrides` that are not None win."""
        env = os.environ if env is None else env
        values: dict[str, object] = {}
        for name, (variable, parse) in ENVIRONMENT.items():
            if raw := env.get(variable):
                values[name] = parse(raw)
        values.update({k: v for k, v in overrides.items() if v is not None})
        return cls(**values)  # type: ignore[arg-type]

    @staticmethod
    def sqlite_url(path: Path | str) -> str:
        return f"sqlite:///{Path(path)}"


ENVIRONMENT: dict[str, tuple[str, Callable[[str], object]]] = {
    "database_url": ("AIDATLAS_DATABASE_URL", str),
    "reporting_org_ref": ("AIDATLAS_REPORTING_ORG_REF", str),
    "reporting_org_name": ("AIDATLAS_REPORTING_ORG_NAME", str),
    "reporting_org_type": ("AIDATLAS_REPORTING_ORG_TYPE", str),
    "max_upload_bytes": ("AIDATLAS_MAX_UPLOAD_BYTES", int),
    "secret_key": ("AIDATLAS_SECRET_KEY", str),
    "files_dir": ("AIDATLAS_FILES_DIR", str),
    "smtp_url": ("AIDATLAS_SMTP_URL", str),
    "chromium": ("AIDATLAS_CHROMIUM", str),
    "auto_merge_score": ("AIDATLAS_AUTO_MERGE_SCORE", float),
    "org_table": ("AIDATLAS_ORG_TABLE", str),
    "report_limit": ("AIDATLAS_REPORT_LIMIT", int),
    "max_document_bytes": ("AIDATLAS_MAX_DOCUMENT_BYTES", int),
    "max_text_chars": ("AIDATLAS_MAX_TEXT_CHARS", int),
    "max_line_chars": ("AIDATLAS_MAX_LINE_CHARS", int),
    "max_pdf_pages": ("AIDATLAS_MAX_PDF_PAGES", int),
    "max_html_elements": ("AIDATLAS_MAX_HTML_ELEMENTS", int),
    "import_batch_activities": ("AIDATLAS_IMPORT_BATCH_ACTIVITIES", int),
    "busy_timeout": ("AIDATLAS_BUSY_TIMEOUT", float),
    "web_busy_timeout": ("AIDATLAS_WEB_BUSY_TIMEOUT", float),
}
"""field → (environment variable, parser): the only variables `Settings.from_env` reads"""
