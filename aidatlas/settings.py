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
        values.update({k: v for k, v in overrides.items() if v is not None})
        return cls(**values)  # type: ignore[arg-type]

    @staticmethod
    def sqlite_url(path: Path | str) -> str:
        return f"sqlite:///{Path(path)}"
