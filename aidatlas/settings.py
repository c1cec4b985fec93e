"""One typed settings object, built by the entry point and passed down; nothing is read at import time."""

from __future__ import annotations

import os
from collections.abc import Mapping
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
    host: str = "127.0.0.1"
    port: int = 8000
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

    @classmethod
    def from_env(cls, env: Mapping[str, str] | None = None, **overrides: object) -> Settings:
        env = os.environ if env is None else env
        values: dict[str, object] = {}
        if url := env.get("AIDATLAS_DATABASE_URL"):
            values["database_url"] = url
        if ref := env.get("AIDATLAS_REPORTING_ORG_REF"):
            values["reporting_org_ref"] = ref
        if name := env.get("AIDATLAS_REPORTING_ORG_NAME"):
            values["reporting_org_name"] = name
        if org_type := env.get("AIDATLAS_REPORTING_ORG_TYPE"):
            values["reporting_org_type"] = org_type
        if secret := env.get("AIDATLAS_SECRET_KEY"):
            values["secret_key"] = secret
        if score := env.get("AIDATLAS_AUTO_MERGE_SCORE"):
            values["auto_merge_score"] = float(score)
        if table := env.get("AIDATLAS_ORG_TABLE"):
            values["org_table"] = table
        if files_dir := env.get("AIDATLAS_FILES_DIR"):
            values["files_dir"] = files_dir
        if smtp := env.get("AIDATLAS_SMTP_URL"):
            values["smtp_url"] = smtp
        if chromium := env.get("AIDATLAS_CHROMIUM"):
            values["chromium"] = chromium
        values.update({k: v for k, v in overrides.items() if v is not None})
        return cls(**values)  # type: ignore[arg-type]

    @staticmethod
    def sqlite_url(path: Path | str) -> str:
        return f"sqlite:///{Path(path)}"
