"""Security headers for every response of the web UI.

Pages get a strict Content-Security-Policy: everything from our own origin, no inline script,
no inline style, no plugins, no framing, no base-URI changes, forms post only to us. Article
data is escaped by the templates; the policy is the second line of defence.

``/docs`` (Swagger UI, which FastAPI loads from the jsDelivr CDN and starts with one inline
script) gets its own policy instead: scripts from 'self', cdn.jsdelivr.net and the SHA-256 of
that exact inline script, styles from the CDN plus inline styles (Swagger UI sets style
attributes). No article data is ever shown on /docs, so the relaxation cannot expose it to
injected markup. Offline, /docs cannot load its CDN assets; ``/openapi.json`` still works.
"""

from __future__ import annotations

import base64
import hashlib
import re
from collections.abc import Awaitable, Callable, MutableMapping
from typing import Any

Scope = MutableMapping[str, Any]
Message = MutableMapping[str, Any]
Receive = Callable[[], Awaitable[Message]]
Send = Callable[[Message], Awaitable[None]]
ASGIApp = Callable[[Scope, Receive, Send], Awaitable[None]]

PAGE_CSP = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "font-src 'self'; connect-src 'self'; object-src 'none'; base-uri 'none'; "
    "frame-ancestors 'none'; form-action 'self'"
)
CDN = "https://cdn.jsdelivr.net"
_INLINE_SCRIPT = re.compile(r"<script>(.*?)</script>", re.S)


def docs_csp(html: str) -> str:
    """The policy for a Swagger UI page: its inline scripts are allowed by hash only."""
    hashes = " ".join(
        "'sha256-" + base64.b64encode(hashlib.sha256(s.encode()).digest()).decode() + "'"
        for s in _INLINE_SCRIPT.findall(html)
    )
    return (
        f"default-src 'self'; script-src 'self' {CDN} {hashes}; "
        f"style-src 'self' {CDN} 'unsafe-inline'; "
        "img-src 'self' data: https://fastapi.tiangolo.com; "
        "connect-src 'self'; object-src 'none'; base-uri 'none'; frame-ancestors 'none'"
    )


class SecurityHeaders:
    """ASGI middleware adding CSP, nosniff, no-referrer and no-framing headers; ``policies``
    maps exact paths to their own CSP (for /docs)."""

    def __init__(self, app: ASGIApp, policies: dict[str, str] | None = None) -> None:
        self.app = app
        self.policies = policies or {}

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        policy = self.policies.get(scope.get("path", ""), PAGE_CSP)

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = [
                    (k, v) for k, v in message.get("headers", [])
                    if k.lower() not in _OURS
                ]  # fmt: skip
                headers += [
                    (b"content-security-policy", policy.encode()),
                    (b"x-content-type-options", b"nosniff"),
                    (b"referrer-policy", b"no-referrer"),
                    (b"x-frame-options", b"DENY"),
                    (b"cross-origin-opener-policy", b"same-origin"),
                    (b"cross-origin-resource-policy", b"same-origin"),
                ]
                message["headers"] = headers
            await send(message)

        await self.app(scope, receive, send_with_headers)


_OURS = {
    b"content-security-policy", b"x-content-type-options", b"referrer-policy",
    b"x-frame-options", b"cross-origin-opener-policy", b"cross-origin-resource-policy",
}  # fmt: skip
