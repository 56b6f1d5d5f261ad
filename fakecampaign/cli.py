"""``fakecampaign serve``: run the fake. Every flag also reads ``FAKECAMPAIGN_<NAME>`` from the environment."""

from __future__ import annotations

import argparse
import gc
import socket
import sys
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from fakecampaign._version import __version__
from fakecampaign.config import Settings


def on_off(value: str) -> bool:
    """``--tracking on|off`` (also true/false, 1/0, yes/no, as the environment variable accepts)."""
    lowered = value.strip().lower()
    if lowered in ("on", "true", "1", "yes"):
        return True
    if lowered in ("off", "false", "0", "no"):
        return False
    raise argparse.ArgumentTypeError(f"expected on or off, got {value!r}")


SERVE_OPTIONS: tuple[tuple[str, Callable[[str], Any], str], ...] = (
    ("host", str, "interface to listen on (default 127.0.0.1; 0.0.0.0 in docker)"),
    ("port", int, "port to listen on (default 8080; 0 picks a free one)"),
    ("db", Path, "SQLite file to keep state in (default: in memory, gone when the server stops)"),
    ("database_url", str, "SQLAlchemy database URL; overrides --db"),
    ("fixtures", Path, "JSON fixtures file to load at start (accounts, contacts, event names, events)"),
    ("account", str, "name of the default account (default 'fake')"),
    ("api_token", str, "Api-Token of the default account"),
    ("actid", str, "9-digit actid of the default account"),
    ("event_key", str, "event key of the default account"),
    ("admin_token", str, "require this token on /_fakecampaign/ calls and the UI"),
    ("log_level", str, "uvicorn log level (default info)"),
    ("tracking", on_off, "event tracking of the default account at start: on (default) or off"),
    ("max_body_bytes", int, "largest request body accepted, in bytes (default 1048576)"),
    ("request_journal_size", int, "calls kept per account by the request journal (default 1000; 0 keeps none)"),
    ("seed_dir", Path, 'the one directory POST /_fakecampaign/seed {"path"} may read (default: --fixtures\' dir)'),
    ("seed_max_bytes", int, "largest fixtures file a seed request may load (default 10 MiB)"),
    ("body_read_timeout", float, "seconds a whole request body may take to arrive (default 30)"),
    ("event_journal_size", int, "/event journal entries kept overall, oldest evicted (default 50000)"),
    ("event_journal_per_account", int, "/event journal entries kept per account (default 10000)"),
    ("max_header_bytes", int, "largest request line + headers; 431 beyond (default 65536)"),
    ("header_read_timeout", float, "seconds a request's headers may take to arrive (default 10)"),
    ("keep_alive_timeout", float, "seconds an idle connection stays open (default 5)"),
    ("allowed_hosts", str, "comma-separated Host names to answer besides loopback's ('*': any)"),
    ("rate_limit", int, "v3 requests per second per account before a 429, like AC's 5 (default: no limit)"),
    ("workers", int, "worker processes sharing the --db file (default 1)"),
)


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="fakecampaign", description="A local, offline fake of ActiveCampaign.")
    parser.add_argument("--version", action="version", version=f"fakecampaign {__version__}")
    commands = parser.add_subparsers(dest="command", required=True)
    serve = commands.add_parser(
        "serve",
        help="serve the fake ActiveCampaign API and trackcmp /event",
        description="Serve the fake. Each option can also be set as FAKECAMPAIGN_<OPTION> (e.g. FAKECAMPAIGN_PORT).",
    )
    for name, kind, help_text in SERVE_OPTIONS:
        metavar = "on|off" if kind is on_off else None
        flag = f"--{name.replace('_', '-')}"
        serve.add_argument(flag, dest=name, type=kind, default=None, help=help_text, metavar=metavar)
    return parser


def settings_from(args: argparse.Namespace) -> Settings:
    """Environment first, then any flag given on the command line."""
    overrides: dict[str, Any] = {name: getattr(args, name) for name, _, _ in SERVE_OPTIONS}
    return Settings(**{k: v for k, v in overrides.items() if v is not None})


ALL_INTERFACES = ("0.0.0.0", "::")


def banner(settings: Settings, port: int) -> str:
    """What to copy into an app's settings. The first line says where the server really listens; on every
    interface (docker) the URLs below use 127.0.0.1, which is how this machine, or a host publishing the
    port, reaches it."""
    everywhere = settings.host in ALL_INTERFACES
    host = "127.0.0.1" if everywhere else settings.host
    base = f"http://{host}:{port}"
    storage = settings.resolved_database_url() if (settings.db or settings.database_url) else "in memory"
    listening = f"http://{_bracketed(settings.host)}:{port}"
    where = f"{listening} (every interface; from this machine {base})" if everywhere else base
    return "\n".join(
        [
            f"fakecampaign {__version__} serving on {where} (database: {storage})",
            f"  account URL   {base}          (v3 API at {base}/api/3)",
            f"  event URL     {base}/event",
            f"  account       {settings.account}",
            f"  Api-Token     {settings.api_token}",
            f"  actid         {settings.actid}",
            f"  event key     {settings.event_key}",
            f"  docs          {base}/docs",
            f"  UI            {base}/_fakecampaign/ui/",
        ]
    )


def _bracketed(host: str) -> str:
    return f"[{host}]" if ":" in host else host


def database_problem(settings: Settings) -> str | None:
    """Why the SQLite file cannot be opened, said in one line before anything tries (else a long traceback)."""
    if settings.database_url or settings.db is None:
        return None
    folder = settings.db.expanduser().absolute().parent
    if not folder.is_dir():
        return f"cannot open the database {settings.db}: the directory {folder} does not exist (create it first)"
    return None


def serve(settings: Settings) -> int:
    # Start-up allocates only objects that live as long as the process (modules, routes, models): collecting
    # while they pile up found nothing and cost ~0.15 s of a ~1 s start. The collector comes back once the app
    # is built and frozen (below, or fakecampaign/warmup.py for a deferred app); README "Performance".
    gc.disable()
    try:
        return _serve(settings)
    finally:
        gc.enable()


def _serve(settings: Settings) -> int:
    import uvicorn  # imported here so `fakecampaign --help` stays fast

    from fakecampaign.errors import ACError, InvalidFixture
    from fakecampaign.ownership import DatabaseInUse, claim
    from fakecampaign.serving import uvicorn_config

    problem = database_problem(settings)
    if problem is not None:
        print(f"fakecampaign: {problem}", file=sys.stderr)
        return 2
    if settings.workers > 1 and not (settings.db or settings.database_url):
        print("fakecampaign: --workers needs --db: processes cannot share an in-memory database", file=sys.stderr)
        return 2
    try:
        lock = claim(settings.resolved_database_url())  # noqa: F841  (held until the process exits)
    except DatabaseInUse as error:
        print(f"fakecampaign: {error}", file=sys.stderr)
        return 2
    deferred = None
    try:
        if can_defer(settings):
            app = deferred = _deferred_app(settings)
        else:
            app = _build(settings)
        sock = bind(settings.host, settings.port)
    except InvalidFixture as error:
        print(f"fakecampaign: {error}", file=sys.stderr)
        return 2
    except ACError as error:  # e.g. the configured Api-Token belongs to another account of the database
        print(f"fakecampaign: cannot start: {error.hint}", file=sys.stderr)
        return 2
    except OSError as error:
        print(f"fakecampaign: cannot listen on {settings.host}:{settings.port}: {error}", file=sys.stderr)
        return 2
    print(banner(settings, sock.getsockname()[1]), flush=True)
    if settings.workers > 1:
        gc.enable()
        return _serve_workers(settings, app, sock)
    # Start-up objects (routes, models, schemas) live as long as the process: keep the collector off them,
    # so its pauses under load stay short (README "Performance"). A deferred app freezes once it is built, and
    # turns the collector back on then.
    gc.freeze()
    if deferred is None:
        gc.enable()
    config = uvicorn_config(app, settings, log_level=settings.log_level, access_log=False)
    server = uvicorn.Server(config)
    if deferred is not None:
        # A failed deferred build stops the server the way Ctrl-C would, but without a signal: uvicorn re-raises
        # a signal it caught once it has shut down, so SIGTERM would end the process with 143, not the 2 below.
        deferred.stop_with(lambda: setattr(server, "should_exit", True))
    server.run(sockets=[sock])
    return 2 if deferred is not None and deferred.error is not None else 0


def can_defer(settings: Settings) -> bool:
    """Build the app after listening (fakecampaign/warmup.py) only when the build cannot fail: in memory and
    without a fixtures file, nothing the user gave can be wrong. A ``--db`` file (taken, or holding another
    account's token) or a fixtures file (invalid) must fail the start, before the server says it is healthy."""
    return settings.fixtures is None and not (settings.db or settings.database_url) and settings.workers == 1


def _build(settings: Settings) -> Any:
    from fakecampaign.app import create_app

    return create_app(settings)


def _deferred_app(settings: Settings) -> Any:
    from fakecampaign.api.guards import parse_allowed_hosts
    from fakecampaign.warmup import DeferredApp

    def build() -> Any:  # on the warm-up thread, like warm: the app's imports happen there
        from fakecampaign.app import create_hot_app

        # No automation or webhook can exist before the app is complete (can_defer): complete_app builds the engine.
        return create_hot_app(settings, engine=False)

    def warm_lanes() -> None:  # GET /contacts/{id} renders other resources' records: import their modules now
        from fakecampaign.api.resources import load_sideload_renderers

        load_sideload_renderers()

    def warm() -> None:
        from fakecampaign.app import import_cold

        import_cold()

    def complete(app: Any) -> None:  # on the event loop, after warm: fakecampaign.app and the engine are imported
        from fakecampaign.app import complete_app

        complete_app(app)

    hosts = parse_allowed_hosts(settings.allowed_hosts)
    return DeferredApp(
        build, warm_lanes=warm_lanes, warm=warm, complete=complete, version=__version__, allowed_hosts=hosts
    )


def _serve_workers(settings: Settings, app: Any, sock: socket.socket) -> int:
    """The file is created and seeded: hand it to ``settings.workers`` processes (fakecampaign/workers.py)."""
    import os

    import uvicorn
    from uvicorn.supervisors import Multiprocess

    from fakecampaign.workers import FACTORY, PROTOCOL, SETTINGS_ENV

    app.state.store.db.dispose()  # each worker opens its own connection
    os.environ[SETTINGS_ENV] = settings.model_dump_json()
    config = uvicorn.Config(
        FACTORY,
        factory=True,
        workers=settings.workers,
        log_level=settings.log_level,
        access_log=False,
        http=PROTOCOL,  # the serving.py limits, rebuilt from the settings in each worker
        timeout_keep_alive=max(1, round(settings.keep_alive_timeout)),
        h11_max_incomplete_event_size=settings.max_header_bytes,
    )
    Multiprocess(config, sockets=[sock]).run()
    return 0


def bind(host: str, port: int) -> socket.socket:
    """The listening socket, bound before the banner so ``--port 0`` can print the port it got."""
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    sock = socket.socket(family, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    try:
        sock.bind((host, port))
    except OSError:
        sock.close()
        raise
    return sock


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    try:
        settings = settings_from(args)
    except ValidationError as error:
        print(f"fakecampaign: invalid settings:\n{error}", file=sys.stderr)
        return 2
    return serve(settings)


if __name__ == "__main__":
    raise SystemExit(main())
