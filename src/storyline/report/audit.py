"""A check that rendered pages carry no active content beyond storyline's own script.

``active_content(html)`` parses a page with the standard library's HTML parser and lists
every construct that could run code: a ``<script>`` that is not the page's own
``static/app.js`` (or that has inline text), event-handler attributes (``on*``), ``javascript:``
/ ``data:`` / ``vbscript:`` URLs in link-like attributes, and embedding elements. The tests use
it on pages built from hostile articles; it is cheap enough to run on any page.
"""

from __future__ import annotations

from dataclasses import dataclass
from html.parser import HTMLParser

_EMBEDDING = {"iframe", "object", "embed", "frame", "frameset", "applet", "base", "meta-refresh"}
_URL_ATTRIBUTES = {"href", "src", "action", "formaction", "xlink:href", "data", "srcset", "poster"}
_BAD_SCHEMES = ("javascript:", "vbscript:", "data:")


@dataclass(frozen=True, slots=True)
class Finding:
    """One piece of active content: the tag, and what about it is active."""

    tag: str
    problem: str


class _Auditor(HTMLParser):
    def __init__(self, own_script: str) -> None:
        super().__init__(convert_charrefs=True)
        self.own_script = own_script
        self.findings: list[Finding] = []
        self.in_script = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = {name.lower(): (value or "") for name, value in attrs}
        if tag == "script":
            self.in_script = True
            if not values.get("src", "").endswith(self.own_script):
                self.findings.append(Finding(tag, f"script not ours: src={values.get('src')!r}"))
        if tag in _EMBEDDING:
            self.findings.append(Finding(tag, "embedding element"))
        if tag == "meta" and values.get("http-equiv", "").lower() == "refresh":
            self.findings.append(Finding(tag, "meta refresh"))
        for name, value in values.items():
            if name.startswith("on"):
                self.findings.append(Finding(tag, f"event handler attribute {name}"))
            compact = "".join(value.split()).lower()
            if name in _URL_ATTRIBUTES and compact.startswith(_BAD_SCHEMES):
                self.findings.append(Finding(tag, f"{name} with a script-capable URL"))

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.handle_starttag(tag, attrs)
        if tag == "script":
            self.in_script = False

    def handle_endtag(self, tag: str) -> None:
        if tag == "script":
            self.in_script = False

    def handle_data(self, data: str) -> None:
        if self.in_script and data.strip():
            self.findings.append(Finding("script", "inline script text"))


def active_content(html: str, own_script: str = "static/app.js") -> list[Finding]:
    """Every construct in ``html`` that could run code, except ``<script src=".../app.js">``."""
    auditor = _Auditor(own_script)
    auditor.feed(html)
    auditor.close()
    return auditor.findings
