"""`/docs`: the API's documentation rendered on the server from the OpenAPI schema (`/openapi.json`).

FastAPI's own Swagger UI loads its script from a CDN, which an offline registry cannot reach; this page needs
no script and no network.
"""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import Response

from aidatlas.web.common import render

router = APIRouter()


def _schema_name(schema: dict[str, Any]) -> str:
    if "$ref" in schema:
        return str(schema["$ref"]).rsplit("/", 1)[-1]
    if schema.get("type") == "array":
        return f"list of {_schema_name(schema.get('items', {}))}"
    if "anyOf" in schema:
        return " or ".join(_schema_name(s) for s in schema["anyOf"])
    return str(schema.get("type", "any"))


def operations(spec: dict[str, Any]) -> list[dict[str, Any]]:
    out = []
    for path, methods in spec.get("paths", {}).items():
        for method, op in methods.items():
            params = [{"name": p["name"], "in": p["in"], "required": p.get("required", False),
                       "type": _schema_name(p.get("schema", {})),
                       "default": p.get("schema", {}).get("default"),
                       "description": p.get("description") or p.get("schema", {}).get("description", "")}
                      for p in op.get("parameters", [])]
            out.append({"method": method.upper(), "path": path, "summary": op.get("summary", ""),
                        "description": op.get("description", ""), "tag": (op.get("tags") or ["other"])[0],
                        "parameters": params, "responses": sorted(op.get("responses", {}))})
    return sorted(out, key=lambda o: (o["tag"], o["path"]))


@router.get("/docs", include_in_schema=False)
def docs_page(request: Request) -> Response:
    spec = request.app.openapi()
    return render(request, "apidocs.html", {"spec": spec, "operations": operations(spec),
                                            "json_url": "/openapi.json"})
