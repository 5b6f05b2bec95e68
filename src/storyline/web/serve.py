"""Running the web UI with uvicorn (``storyline serve``)."""

from __future__ import annotations

from rich.console import Console

from storyline.store import Store
from storyline.web.app import LOCAL_HOSTS, create_app

#: addresses that listen on every interface: any Host header must then be accepted
ANY_ADDRESS = ("0.0.0.0", "::", "")


def allowed_hosts(host: str) -> list[str]:
    """Host headers to accept when listening on ``host``: the loopback names, plus ``host``
    itself, or any name when listening on every interface."""
    if host in ANY_ADDRESS:
        return ["*"]
    return list(dict.fromkeys([*LOCAL_HOSTS, host]))


def serve(db: str, host: str, port: int, console: Console) -> None:
    """Check that ``db`` is a usable database (StorylineError if not), then serve it until
    interrupted."""
    import uvicorn

    with Store(db, readonly=True):
        pass
    app = create_app(db, allowed_hosts=allowed_hosts(host))
    shown = f"[{host}]" if ":" in host else host
    console.print(f"storyline: serving {db} at http://{shown}:{port}/ (API docs at /docs)")
    if host not in ("127.0.0.1", "localhost", "::1"):
        console.print("warning: listening beyond this machine; the UI has no authentication")
    uvicorn.run(app, host=host, port=port, log_level="warning", server_header=False)
