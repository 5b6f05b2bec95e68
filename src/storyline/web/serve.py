"""Running the web UI with uvicorn (``storyline serve``)."""

from __future__ import annotations

import json
import os

from fastapi import FastAPI
from rich.console import Console

from storyline.errors import ConfigError
from storyline.store import Store
from storyline.web.app import LOCAL_HOSTS, create_app

#: addresses that listen on every interface: any Host header must then be accepted
ANY_ADDRESS = ("0.0.0.0", "::", "")
LOOPBACK = ("127.0.0.1", "localhost", "::1")
#: how ``serve`` hands the database and hosts to worker processes (``app_from_env``)
_ENV = "STORYLINE_SERVE"


def allowed_hosts(host: str) -> list[str]:
    """Host headers to accept when listening on ``host``: the loopback names, plus ``host``
    itself, or any name when listening on every interface."""
    if host in ANY_ADDRESS:
        return ["*"]
    return list(dict.fromkeys([*LOCAL_HOSTS, host]))


def app_from_env() -> FastAPI:
    """The read-only app of a worker process started by ``serve(..., workers=N)``."""
    config = json.loads(os.environ[_ENV])
    return create_app(config["db"], allowed_hosts=config["hosts"])


def serve(
    db: str,
    host: str,
    port: int,
    console: Console,
    *,
    allow_edits: bool = False,
    workers: int = 1,
) -> None:
    """Check that ``db`` is a usable database (StorylineError if not), then serve it until
    interrupted, from ``workers`` processes (read-only pages and API: every process answers
    from its own connections and kept pages). Edits are only ever served on a loopback
    address, by one process (its CSRF secret is its own)."""
    import uvicorn

    if allow_edits and host not in LOOPBACK:
        raise ConfigError(f"--allow-edits serves only on this machine (127.0.0.1), not {host}")
    if workers < 1 or (allow_edits and workers > 1):
        raise ConfigError(
            f"--workers {workers}: use 1 or more, and 1 with --allow-edits (each process "
            "would draw its own CSRF secret)"
        )
    with Store(db, readonly=True):
        pass
    hosts = allowed_hosts(host)
    shown = f"[{host}]" if ":" in host else host
    console.print(f"storyline: serving {db} at http://{shown}:{port}/ (API docs at /docs)")
    if allow_edits:
        console.print("edits allowed: story pages offer merge, move, detach and split")
    if host not in LOOPBACK:
        console.print("warning: listening beyond this machine; the UI has no authentication")
    if workers > 1:  # each process builds its app (``app_from_env``)
        os.environ[_ENV] = json.dumps({"db": db, "hosts": hosts})
        uvicorn.run(f"{__name__}:app_from_env", factory=True, workers=workers, host=host,
                    port=port, log_level="warning", server_header=False)  # fmt: skip
        return
    app = create_app(db, allowed_hosts=hosts, allow_edits=allow_edits)
    uvicorn.run(app, host=host, port=port, log_level="warning", server_header=False)
