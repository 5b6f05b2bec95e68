"""HTML fragments (feed content) to plain text with paragraph breaks kept.

Every step runs in time linear in the fragment, whatever it holds (thousands of unclosed
``<script`` or ``<`` characters included): a tag never spans another ``<``, and an unclosed
script or style drops the rest of the fragment.
"""

from __future__ import annotations

import html
import re

_BLOCK = re.compile(
    r"<\s*(?:br|/p|/div|/h[1-6]|/li|/blockquote|/tr|p|div|h[1-6]|li|blockquote)\b[^<>]*>",
    re.IGNORECASE,
)
_DROP_START = re.compile(r"<(script|style)\b", re.IGNORECASE)
_DROP_END = {
    "script": re.compile(r"</script\s*>", re.IGNORECASE),
    "style": re.compile(r"</style\s*>", re.IGNORECASE),
}
_TAG = re.compile(r"<[^<>]*>")


def html_to_text(fragment: str) -> str:
    """Text of an HTML fragment: block elements become paragraph breaks, tags go, entities
    are decoded. Scripts and styles are dropped with their content."""
    text = _drop_scripts(fragment)
    text = _BLOCK.sub("\n\n", text)
    text = _TAG.sub("", text)
    return html.unescape(text)


def _drop_scripts(fragment: str) -> str:
    kept: list[str] = []
    position = 0
    while (start := _DROP_START.search(fragment, position)) is not None:
        kept.append(fragment[position : start.start()])
        kept.append(" ")
        end = _DROP_END[start.group(1).lower()].search(fragment, start.end())
        if end is None:
            return "".join(kept)
        position = end.end()
    kept.append(fragment[position:])
    return "".join(kept)
