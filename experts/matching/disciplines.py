"""A need's likely disciplines, inferred from its text, not taken from the chosen field.

Enterprises often pick a wrong field (a machining problem filed under
computing), so the chosen field is one signal among others. The evidence here
is learned from the expert profiles, whose disciplines are known, and from the
vocabulary:

- words: each telling word of the need votes for the disciplines of the experts
  whose profiles hold it, weighed by how rare it is among them;
- vocabulary: each entry found in the text votes for its discipline, as much as
  the words that found it are telling (one broad word barely counts);
- meaning: with the semantic bridge, the experts nearest the need in meaning
  vote for their disciplines, the nearest most.

Each kind of evidence is a distribution over disciplines; they are mixed, each
in proportion to how much of it there is, into one that sums to 1.
"""

import math
from dataclasses import dataclass, field

from experts.matching.index import general_specificity
from experts.models import Discipline

# Experts whose profile is nearest a need in meaning that vote, and how fast
# their vote falls with the distance from the nearest (cosine units). Only
# experts above the floor vote; the evidence is full at floor + range.
SEMANTIC_VOTERS = 15
SEMANTIC_TEMPERATURE = 0.04
SEMANTIC_FLOOR = 0.3
SEMANTIC_RANGE = 0.2
# A word held by this many profiles or more counts in full; by fewer, in proportion
# (one profile's word says little about a whole discipline).
FULL_WORD_SUPPORT = 3
# The mass of word or vocabulary evidence at which it counts in full against meaning.
FULL_EVIDENCE = 1.0
# Total evidence at which the beliefs are trusted in full (see ``Beliefs.confidence``).
FULL_CONFIDENCE = 1.0
# Share of the mixture below which a discipline is not reported.
MIN_BELIEF = 0.05


@dataclass(frozen=True)
class Beliefs:
    """Discipline pk → belief (they sum to 1, or nothing: no evidence), and how much
    evidence there was, 0..1 (a word or two of one profile: little)."""

    shares: dict[int, float] = field(default_factory=dict)
    confidence: float = 0.0


def _normalised(scores: dict[int, float]) -> dict[int, float]:
    total = sum(scores.values())
    return {pk: value / total for pk, value in scores.items()} if total > 0 else {}


def _spread(votes: dict[int, float], field_ids, weight: float) -> None:
    if field_ids:
        share = weight / len(field_ids)
        for pk in field_ids:
            votes[pk] = votes.get(pk, 0.0) + share


def word_evidence(index, terms: dict[str, float]) -> tuple[dict[int, float], float]:
    """Votes of the need's telling words, and their mass."""
    votes: dict[int, float] = {}
    mass = 0.0
    total = len(index) or 1
    for term, weight in sorted(terms.items()):
        postings = index.postings.get(term)
        if not postings or index.is_common(term):
            continue
        rarity = math.log(1 + total / len(postings))
        # Held by enough profiles, and telling in general Chinese (「包装」 is not).
        support = min(1.0, len(postings) / FULL_WORD_SUPPORT) * general_specificity(term)
        distribution = index.term_disciplines(term)
        for pk, share in distribution.items():
            votes[pk] = votes.get(pk, 0.0) + weight * rarity * support * share
        mass += weight * support
    return votes, mass


def vocabulary_evidence(index, entries: dict[int, float], text: str) -> tuple[dict, float]:
    """Votes of the vocabulary entries found (strength = how telling), and of a
    discipline named outright."""
    votes: dict[int, float] = {}
    mass = 0.0
    for pk, strength in sorted(entries.items()):
        entry = index.vocabulary.get(pk)
        if entry is not None and entry.approved and entry.discipline_id is not None:
            votes[entry.discipline_id] = votes.get(entry.discipline_id, 0.0) + strength
            mass += strength
    for pk, (_code, name) in index.field_names.items():
        if len(name) >= 2 and name in text:
            votes[pk] = votes.get(pk, 0.0) + 1.0
            mass += 1.0
    return votes, mass


def meaning_evidence(index, similarities) -> tuple[dict[int, float], float]:
    """Votes of the experts nearest in meaning (``similarities``: one per document),
    and their mass."""
    votes: dict[int, float] = {}
    if similarities is None or not len(similarities):
        return votes, 0.0
    import numpy as np

    count = min(SEMANTIC_VOTERS, len(similarities))
    nearest = np.argpartition(-similarities, count - 1)[:count]
    # Stable order (similarity, then position), so equal inputs vote alike.
    nearest = sorted(nearest.tolist(), key=lambda i: (-float(similarities[i]), i))
    best = float(similarities[nearest[0]])
    for position in nearest:
        similarity = float(similarities[position])
        if similarity <= SEMANTIC_FLOOR:
            break
        weight = math.exp((similarity - best) / SEMANTIC_TEMPERATURE)
        _spread(votes, index.docs[position].field_ids, weight)
    return votes, min(1.0, max(0.0, (best - SEMANTIC_FLOOR) / SEMANTIC_RANGE))


def discipline_beliefs(index, *, terms, entries, text, similarities) -> Beliefs:
    """The mixture of the three kinds of evidence, each in proportion to its mass."""
    words, word_mass = word_evidence(index, terms)
    vocabulary, vocabulary_mass = vocabulary_evidence(index, entries, text)
    meaning, meaning_mass = meaning_evidence(index, similarities)
    parts = [
        (_normalised(words), min(1.0, word_mass / FULL_EVIDENCE)),
        (_normalised(vocabulary), min(1.0, vocabulary_mass / FULL_EVIDENCE)),
        (_normalised(meaning), meaning_mass),
    ]
    mixed: dict[int, float] = {}
    for distribution, weight in parts:
        if distribution and weight > 0:
            for pk, share in distribution.items():
                mixed[pk] = mixed.get(pk, 0.0) + weight * share
    mass = sum(weight for distribution, weight in parts if distribution)
    return Beliefs(shares=_normalised(mixed), confidence=round(min(1.0, mass / FULL_CONFIDENCE), 6))


def infer_disciplines(text: str, *, limit: int = 5) -> list[tuple[Discipline, float]]:
    """The disciplines a need's text most likely belongs to, best first, with a
    belief in 0..1 (the beliefs of all disciplines sum to 1). For the field picker
    and the staff review; the matching uses the same beliefs."""
    from experts.matching.engine import build_query
    from experts.matching.index import current_index

    index = current_index()
    query = build_query(index, text=text)
    ranked = sorted(query.beliefs.items(), key=lambda pair: (-pair[1], pair[0]))
    if query.confidence <= 0:
        return []
    return [
        (index.disciplines[pk], round(belief, 4))
        for pk, belief in ranked[:limit]
        if belief >= MIN_BELIEF and pk in index.disciplines
    ]
