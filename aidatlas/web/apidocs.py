"""`/docs`: the API's documentation rendered on the server from the OpenAPI schema (`/openapi.json`).

FastAPI's own Swagger UI loads its script from a CDN, which an offline registry cannot reach; this page needs
no script and no network.
"""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, FastAPI, Request
from fastapi.openapi.utils import get_openapi
from fastapi.responses import Response

from aidatlas.web import access
from aidatlas.web.common import render
from aidatlas.web.schemas import ErrorBody

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
                        "parameters": params, "responses": responses(op)})
    return sorted(out, key=lambda o: (o["tag"], o["path"]))


def responses(op: dict[str, Any]) -> list[dict[str, str]]:
    """Each documented answer of an operation: status, what it means, and its body's schema or media type."""
    out = []
    for code, answer in sorted(op.get("responses", {}).items()):
        content = answer.get("content", {})
        media = next(iter(content), "")
        schema = content.get(media, {}).get("schema", {})
        body = _schema_name(schema) if media == "application/json" and schema else media
        out.append({"code": code, "description": answer.get("description", ""), "body": body,
                    "ref": body if "$ref" in schema else ""})
    return out


def models(spec: dict[str, Any]) -> list[dict[str, Any]]:
    """The schemas of the bodies, each with its properties (name, type, required, meaning)."""
    out = []
    for name, schema in sorted(spec.get("components", {}).get("schemas", {}).items()):
        required = set(schema.get("required", []))
        fields = [{"name": key, "type": _schema_name(value), "required": key in required,
                   "description": value.get("description", "")}
                  for key, value in schema.get("properties", {}).items()]
        out.append({"name": name, "description": schema.get("description", ""), "fields": fields})
    return out


_ERROR = {"$ref": "#/components/schemas/ErrorBody"}
_ERRORS = {"400": "An unknown parameter or a value it does not take (`invalid_parameter` names it and what is "
                  "allowed)",
           "404": "No such id in the registry (`not_found`)",
           "401": "Log in first, or send a valid API token (`login_required`, `invalid_token`)",
           "403": "Your role does not allow this (`forbidden`)",
           "422": "The request body does not validate (`invalid_request`, `detail` lists each error)"}


def with_errors(spec: dict[str, Any]) -> dict[str, Any]:
    """Every operation documents the error body it really answers with (`ErrorBody`, the one handler's
    `{"error", "detail", …}`), in place of FastAPI's default 422 schema, which the app never sends:
    400 everywhere (an unknown parameter), 404 where its path names an id, 401/403 where access is not public,
    422 where it reads a body."""
    schemas = spec.setdefault("components", {}).setdefault("schemas", {})
    for name in ("HTTPValidationError", "ValidationError"):
        schemas.pop(name, None)
    error = ErrorBody.model_json_schema(ref_template="#/components/schemas/{model}")
    schemas.update(error.pop("$defs", {}))
    schemas["ErrorBody"] = error
    for path, methods in spec.get("paths", {}).items():
        for method, op in methods.items():
            responses = op.setdefault("responses", {})
            responses.pop("422", None)
            codes = ["400"] + (["404"] if "{" in path else [])
            rule = access.ROUTES.get((method.upper(), path))
            codes += ["401", "403"] if rule is not None and rule.kind != "public" else []
            codes += ["422"] if "requestBody" in op else []
            for code in codes:
                responses.setdefault(code, {"description": _ERRORS[code],
                                            "content": {"application/json": {"schema": _ERROR}}})
    return spec


def install(app: FastAPI) -> None:
    """`/openapi.json` built once, with the real error bodies (`with_errors`)."""

    def openapi() -> dict[str, Any]:
        if app.openapi_schema is None:
            app.openapi_schema = with_errors(get_openapi(title=app.title, version=app.version,
                                                         description=app.description, routes=app.routes))
        return app.openapi_schema

    app.openapi = openapi  # type: ignore[method-assign]


@router.get("/docs", include_in_schema=False)
def docs_page(request: Request) -> Response:
    spec = request.app.openapi()
    return render(request, "apidocs.html", {"spec": spec, "operations": operations(spec), "models": models(spec),
                                            "json_url": "/openapi.json"})
