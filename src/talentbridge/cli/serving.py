"""`demo`, `serve` and `user …` commands."""

from __future__ import annotations

import os
from typing import Annotated

import typer
from rich.progress import Progress
from rich.table import Table

from talentbridge.cli.common import (
    _open_store,
    app,
    console,
    err_console,
    fail,
    get_settings,
    user_app,
)
from talentbridge.config import SettingsError
from talentbridge.errors import TalentBridgeError
from talentbridge.store.engine import create_engine_for

# --- demo -----------------------------------------------------------------------------


@app.command()
def demo(
    seed: Annotated[int, typer.Option(help="Seed of the generated sample data.")] = 2026,
    scale: Annotated[float, typer.Option(help="Size factor; 1.0 ≈ 30,000 postings.")] = 1.0,
    no_serve: Annotated[
        bool, typer.Option("--no-serve", help="Build the demo store only; do not serve it.")
    ] = False,
    host: Annotated[str, typer.Option(help="Address to serve on.")] = "127.0.0.1",
    port: Annotated[int, typer.Option(help="Port to serve on.")] = 8000,
    force: Annotated[
        bool, typer.Option("--force", help="Replace the store even if it holds non-demo data.")
    ] = False,
) -> None:
    """Build a fresh store with generated sample data (示例数据) and serve it."""
    from talentbridge.demo.build import build_demo, describe_demo

    if scale <= 0:
        raise fail("--scale must be positive, e.g. 0.1 for a small demo")
    settings = get_settings().with_overrides(demo_mode=True)
    try:
        with Progress(console=console, transient=True) as bar:
            task = bar.add_task("示例数据 demo", total=None)

            def step(name: str, done: int, total: int) -> None:
                bar.update(task, description=f"demo: {name}", completed=done, total=total)

            summary = build_demo(settings, seed=seed, scale=scale, progress=step, force=force)
    except (TalentBridgeError, SettingsError) as exc:
        raise fail(str(exc)) from None
    for line in describe_demo(summary):
        console.print(line, highlight=False, soft_wrap=True)
    logins = Table(title="示例账号 Demo logins (sample data only)")
    for column in ("role 角色", "username 用户名", "password 密码", "organization 机构"):
        logins.add_column(column)
    for login in summary.logins:
        logins.add_row(login.role, login.username, login.password, login.organization or "—")
    console.print(logins)
    console.print(f"Open [bold]http://{host}:{port}/[/] — 示例数据 sample data", highlight=False)
    if no_serve:
        return
    import uvicorn

    from talentbridge.web.app import create_app

    uvicorn.run(create_app(settings), host=host, port=port)


# --- serve and user accounts ------------------------------------------------------------

WORKER_HEALTHCHECK_SECONDS = 60  # how long a worker may take to answer uvicorn's ping


@app.command()
def serve(
    host: Annotated[str, typer.Option(help="Address to listen on.")] = "127.0.0.1",
    port: Annotated[int, typer.Option(help="Port to listen on.")] = 8000,
    workers: Annotated[int, typer.Option(min=1, help="Number of worker processes.")] = 1,
    proxy_headers: Annotated[
        bool,
        typer.Option(
            "--proxy-headers/--no-proxy-headers",
            help="Trust X-Forwarded-Proto/-For from the addresses in --forwarded-allow-ips "
            "(a reverse proxy terminating TLS): cookies then get Secure and HSTS is sent.",
        ),
    ] = True,
    forwarded_allow_ips: Annotated[
        str,
        typer.Option(
            help="Comma-separated proxy addresses whose X-Forwarded-* headers are trusted "
            "(default: only 127.0.0.1; '*' trusts everyone, never do that on an open port).",
        ),
    ] = "127.0.0.1",
    log_format: Annotated[
        str | None,
        typer.Option(help="json (one object per line) or text [TALENTBRIDGE_LOG_FORMAT; json]."),
    ] = None,
    log_level: Annotated[
        str | None,
        typer.Option(help="DEBUG, INFO, WARNING or ERROR [TALENTBRIDGE_LOG_LEVEL; INFO]."),
    ] = None,
) -> None:
    """Serve the web pages and the JSON API (/api/v1) from the configured store.

    Outside demo mode it refuses to start without a strong TALENTBRIDGE_SECRET_KEY.
    Behind a reverse proxy that terminates TLS, keep --proxy-headers and name the proxy
    in --forwarded-allow-ips (or set TALENTBRIDGE_HTTPS_ONLY=true)."""
    import uvicorn

    from talentbridge.config import check_secret
    from talentbridge.store.migrate import is_up_to_date

    settings = get_settings()
    try:
        check_secret(settings)
    except SettingsError as exc:
        raise fail(f"{exc} (or set TALENTBRIDGE_DEMO=true for a demo store)") from None
    engine = create_engine_for(settings)
    try:
        ready = is_up_to_date(engine)
    finally:
        engine.dispose()
    if not ready:
        raise fail("the store is missing or not at the newest schema; run `talentbridge init`")
    level = _logging_env(log_format, log_level)
    console.print(f"Serving on [bold]http://{host}:{port}/[/]", highlight=False)
    uvicorn.run(
        "talentbridge.web.app:app_from_env",
        factory=True,
        host=host,
        port=port,
        workers=workers,
        proxy_headers=proxy_headers,
        forwarded_allow_ips=forwarded_allow_ips,
        # Each worker process first imports this CLI (its parent's main module), then the
        # app; on a busy machine that took longer than uvicorn's 5 s health check, and the
        # supervisor killed and restarted the workers over and over (found by the load test).
        timeout_worker_healthcheck=WORKER_HEALTHCHECK_SECONDS,
        access_log=False,  # web/request_log.py writes one structured line per request
        log_level=level.lower(),
    )


def _logging_env(log_format: str | None, log_level: str | None) -> str:
    """Put the log options where the workers read them (the environment); the level."""
    from talentbridge.web.request_log import log_options

    for name, value, default in (
        ("TALENTBRIDGE_LOG_FORMAT", log_format, "json"),
        ("TALENTBRIDGE_LOG_LEVEL", log_level, "INFO"),
    ):
        os.environ[name] = value or os.environ.get(name) or default
    try:
        options = log_options(get_settings())
    except SettingsError as exc:
        raise fail(str(exc)) from None
    return options[1] if options else "INFO"


@user_app.command("add")
def user_add(
    username: Annotated[str, typer.Argument(help="Login name (2-64 letters, digits, . _ @ -).")],
    role: Annotated[
        str,
        typer.Option(help="platform_admin, college_admin, teacher, student, recruiter or analyst."),
    ],
    org: Annotated[
        str | None, typer.Option(help="Organization code (omit only for platform_admin).")
    ] = None,
    password: Annotated[
        str | None, typer.Option(help="Password; asked for (hidden) when omitted.")
    ] = None,
    name: Annotated[str | None, typer.Option(help="Display name (default: username).")] = None,
    email: Annotated[str | None, typer.Option(help="E-mail address.")] = None,
    locale: Annotated[str, typer.Option(help="Preferred language: zh or en.")] = "zh",
) -> None:
    """Create a user account in an organization."""
    from talentbridge.accounts.directory import get_organization_by_code
    from talentbridge.accounts.users import create_user
    from talentbridge.store.engine import transaction

    if password is None:
        password = typer.prompt("Password", hide_input=True, confirmation_prompt=True)
    _settings, engine, factory = _open_store()
    try:
        with transaction(factory) as session:
            org_id = get_organization_by_code(session, org).id if org else None
            user = create_user(
                session,
                username=username,
                password=password,
                role=role,
                organization_id=org_id,
                display_name=name or username,
                email=email,
                locale=locale,
            )
            summary = f"Created user {user.username} ({user.role}, {org or 'no organization'})"
    except TalentBridgeError as exc:
        raise fail(str(exc)) from None
    finally:
        engine.dispose()
    console.print(summary, highlight=False)


@user_app.command("token")
def user_token(
    username: Annotated[str, typer.Argument(help="The user the token acts as.")],
    name: Annotated[str, typer.Option(help="What the token is for, e.g. 'nightly export'.")],
) -> None:
    """Issue an API token (Authorization: Bearer …); it is shown only once."""
    from talentbridge.accounts.tokens import issue_token
    from talentbridge.accounts.users import get_user_by_username
    from talentbridge.store.engine import transaction

    _settings, engine, factory = _open_store()
    try:
        with transaction(factory) as session:
            user = get_user_by_username(session, username)
            if user is None:
                raise TalentBridgeError(
                    f"no user {username!r}; create one with `talentbridge user add`"
                )
            token = issue_token(session, user_id=user.id, name=name)
    except TalentBridgeError as exc:
        raise fail(str(exc)) from None
    finally:
        engine.dispose()
    err_console.print("API token (shown once; store it safely):")
    typer.echo(token)
