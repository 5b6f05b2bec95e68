"""HTML fragments (feed content) to plain text with paragraph breaks kept."""

from __future__ import annotations

import html
import re

_BLOCK = re.compile(
    r"<\s*(?:br|/p|/div|/h[1-6]|/li|/blockquote|/tr|p|div|h[1-6]|li|blockquote)\b[^>]*>",
    re.IGNORECASE,
)
_DROP = re.compile(r"<(script|style)\b.*?</\1\s*>", re.IGNORECASE | re.DOTALL)
_TAG = re.compile(r"<[^>]*>")


def html_to_text(fragment: str) -> str:
    """Text of an HTML fragment: block elements become paragraph breaks, tags go, entities
    are decoded. Scripts and styles are dropped with their content."""
    text = _DROP.sub(" ", fragment)
    text = _BLOCK.sub("\n\n", text)
    text = _TAG.sub("", text)
    return html.unescape(text)
