"""A linear adapter for the discipline classifier, learned here from the vocabulary.

The centroid classifier (``disciplines.centroid_evidence``) reads a need's
likely disciplines off its nearness to each discipline's centroid (the mean
vector of its experts' profiles). The encoders place an everyday symptom
(总闸老跳, 毛衣起球) far from the profiles of the trade that treats it. The
shipped vocabulary knows better: each entry's everyday words belong to its
discipline. The adapter is one linear map per encoder, fitted (numpy, closed
form) so that the vector of each everyday word of an entry lands near the
centroid of its discipline's profiles, and regularised towards the identity, so
where the vocabulary says nothing the need's vector stays as it was:

    W = argmin Σ ||x W − c||² + λ n ||W − I||²  =  (XᵀX + λnI)⁻¹ (XᵀC + λnI)

x: an everyday word's unit vector (encoded as a need), c: its discipline's
centroid (unit), n: the number of words. "Everyday" is a synonym of an approved
entry with a discipline that no profile of the index holds (a word the experts
use is left to the words' own signals).

It only moves the need's vector that the centroid classifier reads; the
similarities that rank the experts are unchanged (mapping those lost on one half
of the tune set; README, matching). Fitted when the index is built, from the
words' vectors kept in the cache under one key that names the adapter's version,
the models and the words; never encoded inside a request: when they are not
there (``prepare_term_vectors`` encodes them: ``manage.py matching_adapter``,
``seed_demo``, the evaluation), or the bridge is off, or
``EXPERTS_MATCH_ADAPTER`` is off, there is no adapter and the classifier reads
the need's vector as it is.
"""

import hashlib
import logging
from dataclasses import dataclass

from django.conf import settings
from django.core.cache import cache

from experts.matching import semantic
from kexie.platform.lib.text import normalize

logger = logging.getLogger(__name__)

# Names the fitting procedure; a change of it invalidates the kept word vectors' key.
ADAPTER_VERSION = "a1"
# λ per word (see above; larger is closer to the identity): 0.0005–0.005 each helped both
# halves of the tune set, 0.001–0.005 kept or raised the project set, 0.02 fell back.
REGULARISATION = 0.002
# The words' vectors are kept this long (their key names the models and the words).
TERM_VECTOR_SECONDS = 90 * 24 * 3600
# Fewer everyday words than this: no adapter (too little evidence to move anything).
MIN_PAIRS = 50


@dataclass(frozen=True)
class Adapter:
    """One square map per encoder's part of the vector, in the order of the bridge."""

    maps: tuple
    bounds: tuple[int, ...]
    scales: tuple[float, ...]
    pairs: int

    def apply(self, vector):
        """The need's vector mapped: each encoder's part mapped, brought back to unit
        length and to its scale, so the classifier's calibration holds."""
        import numpy as np

        parts = []
        for i, matrix in enumerate(self.maps):
            part = vector[self.bounds[i] : self.bounds[i + 1]]
            mapped = np.einsum("i,ij->j", _unit(part), matrix)
            parts.append(_unit(mapped) * np.float32(self.scales[i] ** 0.5))
        return np.concatenate(parts).astype(np.float32)

    @property
    def nbytes(self) -> int:
        return sum(matrix.nbytes for matrix in self.maps)


def _unit(matrix):
    import numpy as np

    norms = np.linalg.norm(matrix, axis=-1, keepdims=True)
    return matrix / np.where(norms == 0, 1.0, norms)


def enabled() -> bool:
    return bool(getattr(settings, "EXPERTS_MATCH_ADAPTER", True)) and semantic.enabled()


def vocabulary_terms(vocabulary) -> list[tuple[str, int]]:
    """(word, discipline pk) of every synonym of an approved entry with a discipline,
    in a fixed order (the entry's own name is its technical name, left out)."""
    pairs = []
    for entry in sorted(vocabulary.values(), key=lambda e: e.pk):
        if not entry.approved or entry.discipline_id is None:
            continue
        own = normalize(entry.name)
        for term in entry.terms:
            if term != own:
                pairs.append((term, entry.discipline_id))
    return pairs


def term_vectors_key(terms: list[str]) -> str:
    words = "\n".join(terms)
    bridge = semantic.encoder()
    model_id = bridge.model_id if bridge else "none"
    digest = hashlib.sha256(f"{ADAPTER_VERSION}\n{model_id}\n{words}".encode()).hexdigest()
    return f"match:adapter-terms:{digest[:32]}"


def _read(terms: list[str]):
    import numpy as np

    data = cache.get(term_vectors_key(terms))
    if data is None:
        return None
    matrix = np.frombuffer(bytes(data), dtype=np.float16)
    if matrix.size != len(terms) * semantic.dimensions():
        return None
    return matrix.reshape(len(terms), semantic.dimensions()).astype(np.float32)


def prepare_term_vectors(vocabulary) -> int:
    """Encode the vocabulary's words (as needs) and keep them in the cache, unless they
    are there already; how many were encoded. Not for a request: about 10 ms of CPU
    per word with both encoders (5,000 words: about a minute)."""
    if not enabled():
        return 0
    terms = [term for term, _pk in vocabulary_terms(vocabulary)]
    if not terms or _read(terms) is not None:
        return 0
    vectors = semantic.encode(terms, query=True)
    cache.set(term_vectors_key(terms), semantic.to_bytes(vectors), TERM_VECTOR_SECONDS)
    return len(terms)


def fit(index) -> Adapter | None:
    """The adapter for this index (its vocabulary and its disciplines' centroids), or
    None: switched off, no bridge, the words' vectors not prepared, too few pairs."""
    if not enabled() or index.vectors is None:
        return None
    import numpy as np

    pairs = vocabulary_terms(index.vocabulary)
    terms = [term for term, _pk in pairs]
    if not terms:
        return None
    vectors = _read(terms)
    if vectors is None:
        logger.info("matching adapter: the vocabulary's vectors are not prepared")
        return None
    pks, centroids = index.discipline_centroids()
    rows = {pk: row for row, pk in enumerate(pks)}
    chosen = [
        (i, rows[pk])
        for i, (term, pk) in enumerate(pairs)
        if pk in rows and index.document_frequency(term) == 0
    ]
    if len(chosen) < MIN_PAIRS:
        return None
    words = vectors[[i for i, _row in chosen]].astype(np.float64)
    targets = centroids[[row for _i, row in chosen]].astype(np.float64)
    bridge = semantic.encoder()
    bounds = tuple(int(b) for b in np.cumsum([0, *(e.dimensions for e in bridge.encoders)]))
    maps = []
    for i in range(len(bridge.encoders)):
        x = _unit(words[:, bounds[i] : bounds[i + 1]])
        c = _unit(targets[:, bounds[i] : bounds[i + 1]])
        ridge = REGULARISATION * len(chosen) * np.eye(x.shape[1])
        maps.append(np.linalg.solve(x.T @ x + ridge, x.T @ c + ridge).astype(np.float32))
    return Adapter(maps=tuple(maps), bounds=bounds, scales=tuple(bridge.scales), pairs=len(chosen))
