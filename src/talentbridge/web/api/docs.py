"""``/api/v1/docs``: the endpoints of the OpenAPI schema as a plain page (no CDN)."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Request
from starlette.responses import HTMLResponse

from talentbridge.web.rendering import render

router = APIRouter(include_in_schema=False)


@router.get("/docs", name="api_docs")
def api_docs(request: Request) -> HTMLResponse:
    schema: dict[str, Any] = request.app.openapi()
    operations = []
    for path, methods in schema.get("paths", {}).items():
        for method, operation in methods.items():
            params = [p.get("name", "") for p in operation.get("parameters", [])]
            operations.append(
                {
                    "method": method.upper(),
                    "path": path,
                    "summary": operation.get("summary", ""),
                    "tags": ", ".join(operation.get("tags", [])),
                    "params": ", ".join(params),
                }
            )
    return render(
        request, "api_docs.html", operations=operations, openapi_url=request.app.openapi_url
    )
