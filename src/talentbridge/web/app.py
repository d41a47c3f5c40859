"""The FastAPI app factory. Nothing is created at import time.

``create_app(settings)`` builds the engine (unless one is passed), the session maker,
templates and catalogs, and keeps them on ``app.state``. ``app_from_env`` is the
factory ``talentbridge serve`` hands to uvicorn (``factory=True``).
"""

from __future__ import annotations

import os
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path

import plotly
from fastapi import Depends, FastAPI
from fastapi.responses import FileResponse
from fastapi.staticfiles import StaticFiles
from sqlalchemy import Engine

from talentbridge import __version__
from talentbridge.config import Settings, check_secret, load_settings
from talentbridge.store.engine import create_engine_for, session_factory
from talentbridge.web import api, pages
from talentbridge.web.api import advice as advice_api
from talentbridge.web.api import audit as audit_api
from talentbridge.web.api import demand as demand_api
from talentbridge.web.api import demand_graph as demand_graph_api
from talentbridge.web.api import library as library_api
from talentbridge.web.api import library_stats as library_stats_api
from talentbridge.web.api import library_terms as library_terms_api
from talentbridge.web.api import match as match_api
from talentbridge.web.api import match_apps as match_apps_api
from talentbridge.web.api import match_fairs as match_fairs_api
from talentbridge.web.api import outcomes as outcomes_api
from talentbridge.web.api import postings as postings_api
from talentbridge.web.api import privacy as privacy_api
from talentbridge.web.api import skills as skills_api
from talentbridge.web.background import start_background_jobs
from talentbridge.web.errors import install_error_handlers
from talentbridge.web.i18n import load_catalogs
from talentbridge.web.middleware import install_middleware
from talentbridge.web.pages import account as account_pages
from talentbridge.web.pages import advice as advice_pages
from talentbridge.web.pages import audit as audit_pages
from talentbridge.web.pages import demand as demand_pages
from talentbridge.web.pages import demand_graph as demand_graph_pages
from talentbridge.web.pages import library as library_pages
from talentbridge.web.pages import library_stats as library_stats_pages
from talentbridge.web.pages import matching as matching_pages
from talentbridge.web.pages import outcomes as outcomes_pages
from talentbridge.web.pages import outcomes_import as outcomes_import_pages
from talentbridge.web.pages import outcomes_records as outcomes_records_pages
from talentbridge.web.pages import outcomes_recruiting as outcomes_recruiting_pages
from talentbridge.web.pages import postings as postings_pages
from talentbridge.web.pages import privacy as privacy_pages
from talentbridge.web.pages import skills as skills_pages
from talentbridge.web.rendering import STATIC_DIR, make_templates
from talentbridge.web.request_log import install_request_logging
from talentbridge.web.security import verify_csrf
from talentbridge.web.warmup import warm_matching_index

API_PREFIX = "/api/v1"
PLOTLY_JS = Path(plotly.__file__).parent / "package_data" / "plotly.min.js"


def create_app(
    settings: Settings, *, engine: Engine | None = None, warm_matching: bool = False
) -> FastAPI:
    """Build the web app for ``settings`` (and ``engine``, when the caller owns one);
    ``warm_matching`` builds the matching index in the background at startup."""
    owns_engine = engine is None
    store = engine if engine is not None else create_engine_for(settings)

    @asynccontextmanager
    async def lifespan(_app: FastAPI) -> AsyncIterator[None]:
        if warm_matching:
            warm_matching_index(_app.state.sessionmaker)
            start_background_jobs(_app)
        yield
        if owns_engine:
            store.dispose()

    app = FastAPI(
        title="TalentBridge API",
        summary="成渝国际物流人才大数据中心 · Chengdu–Chongqing logistics talent data center",
        version=__version__,
        openapi_url=f"{API_PREFIX}/openapi.json",
        docs_url=None,
        redoc_url=None,
        lifespan=lifespan,
    )
    app.state.settings = settings
    app.state.engine = store
    app.state.sessionmaker = session_factory(store)
    app.state.templates = make_templates()
    app.state.catalogs = load_catalogs()

    install_middleware(app, settings)  # web/middleware.py
    install_request_logging(app, settings)  # web/request_log.py
    install_error_handlers(app)

    @app.get("/static/vendor/plotly.min.js", include_in_schema=False)
    def plotly_js() -> FileResponse:
        """plotly.js from the installed plotly package (no CDN)."""
        return FileResponse(PLOTLY_JS, media_type="text/javascript")

    app.mount("/static", StaticFiles(directory=STATIC_DIR), name="static")
    app.include_router(api.health_router)
    app.include_router(api.router, prefix=API_PREFIX)
    app.include_router(postings_api.router, prefix=API_PREFIX)
    app.include_router(skills_api.router, prefix=API_PREFIX)
    app.include_router(advice_api.router, prefix=API_PREFIX)
    app.include_router(demand_api.router, prefix=API_PREFIX)
    app.include_router(demand_graph_api.router, prefix=API_PREFIX)
    app.include_router(library_api.router, prefix=API_PREFIX)
    app.include_router(library_terms_api.router, prefix=API_PREFIX)
    app.include_router(library_stats_api.router, prefix=API_PREFIX)
    app.include_router(outcomes_api.router, prefix=API_PREFIX)
    app.include_router(privacy_api.router, prefix=API_PREFIX)
    app.include_router(audit_api.router, prefix=API_PREFIX)
    for match_router in (match_api.router, match_apps_api.router, match_fairs_api.router):
        app.include_router(match_router, prefix=API_PREFIX)
    app.include_router(pages.router, dependencies=[Depends(verify_csrf)])
    app.include_router(
        advice_pages.router, include_in_schema=False, dependencies=[Depends(verify_csrf)]
    )
    app.include_router(
        postings_pages.router, include_in_schema=False, dependencies=[Depends(verify_csrf)]
    )
    app.include_router(
        skills_pages.router, include_in_schema=False, dependencies=[Depends(verify_csrf)]
    )
    app.include_router(
        demand_graph_pages.router, include_in_schema=False, dependencies=[Depends(verify_csrf)]
    )
    app.include_router(
        demand_pages.router, include_in_schema=False, dependencies=[Depends(verify_csrf)]
    )
    # before the library pages: /library/stats is not a library code
    app.include_router(
        library_stats_pages.router, include_in_schema=False, dependencies=[Depends(verify_csrf)]
    )
    for matching_router in matching_pages.ROUTERS:
        app.include_router(
            matching_router, include_in_schema=False, dependencies=[Depends(verify_csrf)]
        )
    for outcomes_router in (
        outcomes_pages.router,
        outcomes_recruiting_pages.router,
        outcomes_records_pages.router,
        outcomes_import_pages.router,
    ):
        app.include_router(
            outcomes_router, include_in_schema=False, dependencies=[Depends(verify_csrf)]
        )
    for trust_router in (account_pages.router, privacy_pages.router, audit_pages.router):
        app.include_router(
            trust_router, include_in_schema=False, dependencies=[Depends(verify_csrf)]
        )
    for library_router in library_pages.ROUTERS:
        app.include_router(
            library_router, include_in_schema=False, dependencies=[Depends(verify_csrf)]
        )
    return app


def app_from_env() -> FastAPI:
    """Factory for uvicorn: settings from the environment; refuses an unsafe secret."""
    settings = load_settings(os.environ)
    check_secret(settings)
    return create_app(settings, warm_matching=True)
