"""Scoring a need against the index: each signal apart, then their weighted sum.

score = Σ weight[signal] × part[signal], parts as described in ``weights``.
Only experts with some relevance (text, meaning, field or keyword) are
candidates; ties go to the lower expert id, so the same data always gives the
same ranking.

The query is the need's telling words (boilerplate, learned from the profiles,
is left out), expanded with the terms of the vocabulary entries found in it,
each as much as the words that found it are telling; the need's vector when the
semantic bridge is on; and its likely disciplines (``disciplines``), of which
the field the enterprise chose is one signal: a chosen field the text does not
bear out counts less, and staff can confirm the fields at review.
"""

from dataclasses import dataclass, field

from experts.matching import semantic
from experts.matching.disciplines import discipline_beliefs
from experts.matching.index import DELTA_REGIONS, MatchIndex, index_terms
from experts.matching.reasons import (
    BORROWED_WORDS,
    BUSY,
    DELTA_EXPERT,
    KEYWORDS,
    LOCAL_EXPERT,
    OPEN_ENGAGEMENTS,
    PROFILE_WORDS,
    RATING,
    RELATED_FIELDS,
    RESPONSE_RATE,
    SAME_FIELDS,
    SIMILAR_CONTENT,
    reason,
)
from experts.matching.weights import SIGNAL_LABELS, SIGNALS, match_weights
from experts.models import Expert
from kexie.platform.lib.text import contains_term, normalize

# The text part is the BM25 score over the need's best one, or over this score when
# the best is lower (one everyday word shared is not a full text match).
TEXT_FULL_SCORE = 20.0
# Terms of an entry found in the text join the query at this share of the
# finding word's telling-ness: the expert's 「峰谷电价」 for the need's 「峰谷价差」.
EXPANSION_SHARE = 0.7
# An entry found in the need adds its terms at EXPANSION_SHARE of the word that
# found it; an entry of more than EXPANSION_TERMS terms shares that weight among
# them (a large entry would otherwise outweigh the need's own words).
EXPANSION_TERMS = 5
# An entry found with less than this (one broad word) neither expands the query
# nor counts as a keyword or a field; it only adds its little weight to the beliefs.
MIN_ENTRY_STRENGTH = 0.4
# Field part of an inferred discipline at full belief (a chosen one the text bears out is 1).
INFERRED_FIELD_SHARE = 0.75
# Inferred disciplines below this share of the best one give no field part, nor
# do any when the beliefs rest on less evidence than this (0..1).
MIN_RELATIVE_BELIEF = 0.25
MIN_FIELD_CONFIDENCE = 0.2
# A chosen field the text does not bear out keeps this much of its part.
CHOSEN_FLOOR = 0.3
# Beliefs this concentrated on other disciplines make staff see a disagreement …
DISAGREEMENT_AGREEMENT = 0.2
# … when there was at least this much evidence; with less, the chosen field is trusted.
JUDGING_CONFIDENCE = 0.3
# The semantic part: 0 at the pool's typical similarity (this quantile), and never
# below the floor (short Chinese texts on unrelated subjects reach 0.3), 1 at this
# much above it (cosine units); only the nearest experts are candidates through it.
SEMANTIC_BASE_QUANTILE = 0.9
SEMANTIC_FLOOR = 0.3
SEMANTIC_RANGE = 0.2
SEMANTIC_CANDIDATES = 60
# Pseudo-relevance feedback (``_feedback_similarities``): the profiles it borrows
# from, how much their words count in choosing them, how far the need moves, and
# the smallest pool where it is tried.
FEEDBACK_DOCS = 2
FEEDBACK_TEXT_SHARE = 0.3
FEEDBACK_WEIGHT = 0.3
FEEDBACK_DIRECTION = True
FEEDBACK_MIN_POOL = 30
# Words borrowed from those profiles (``_feedback_terms``), and their weight at most
# (the need's own words weigh 1).
FEEDBACK_TERMS = 10
FEEDBACK_TERM_WEIGHT = 0.3


@dataclass(frozen=True)
class Recommendation:
    expert: Expert
    score: float
    # What ``explain`` found, as data (``reasons.reason_text`` writes each out).
    reasons: list[dict] = field(default_factory=list)
    # Each signal's part of the score (weight × value), for staff.
    signals: dict[str, float] = field(default_factory=dict)

    @property
    def signal_parts(self) -> list[tuple[str, float]]:
        """(label, part) of every signal, in the order of the score's definition."""
        return [
            (SIGNAL_LABELS[name], self.signals[name]) for name in SIGNALS if name in self.signals
        ]


@dataclass(frozen=True, eq=False)
class Query:
    # term → weight: the need's own telling words 1, expansion terms less.
    terms: dict[str, float]
    field_ids: frozenset[int]
    keyword_ids: frozenset[int]
    # Vocabulary entry → strength 0..1 (how telling the words that found it are).
    entries: dict[int, float] = field(default_factory=dict)
    # Discipline → belief inferred from the text (sums to 1, or empty), and how much
    # evidence it rests on, 0..1.
    beliefs: dict[int, float] = field(default_factory=dict)
    confidence: float = 0.0
    # Discipline → field part of an expert working in it.
    field_parts: dict[int, float] = field(default_factory=dict)
    # How far the text bears out the chosen fields, 0..1 (None: no field chosen,
    # or nothing in the text to judge by).
    agreement: float | None = None
    fields_confirmed: bool = False
    # Cosine similarity of the need to every document (numpy), or None.
    similarities: object = None

    @property
    def implied_field_ids(self) -> frozenset[int]:
        return frozenset(pk for pk in self.field_parts if pk not in self.field_ids)

    @property
    def disagrees(self) -> bool:
        """The text points elsewhere than the chosen field: staff should look."""
        return (
            not self.fields_confirmed
            and self.agreement is not None
            and self.agreement < DISAGREEMENT_AGREEMENT
        )


def entries_in_text(index: MatchIndex, text: str) -> dict[int, float]:
    """Vocabulary entries whose terms appear in the text, with how telling the
    most telling of those terms is."""
    text = normalize(text)
    found: dict[int, float] = {}
    for entry in index.vocabulary.values():
        best = 0.0
        for term, specificity in entry.matchable_terms:
            if specificity > best and contains_term(text, term):
                best = specificity
        if best > 0:
            found[entry.pk] = best
    return found


def keywords_in_text(index: MatchIndex, text: str) -> set[int]:
    """Entries found in the text telling enough to count (see ``MIN_ENTRY_STRENGTH``)."""
    return {pk for pk, s in entries_in_text(index, text).items() if s >= MIN_ENTRY_STRENGTH}


def field_parts(
    beliefs: dict[int, float], confidence: float, chosen: frozenset[int], *, confirmed: bool
) -> tuple[dict[int, float], float | None]:
    """Discipline → field part, and how far the text bears out the chosen fields
    (None when there is no chosen field or too little evidence to judge)."""
    if confirmed:
        return dict.fromkeys(chosen, 1.0), None
    top = max(beliefs.values(), default=0.0)
    parts: dict[int, float] = {}
    if top > 0 and confidence >= MIN_FIELD_CONFIDENCE:
        for pk, belief in beliefs.items():
            if belief / top >= MIN_RELATIVE_BELIEF:
                parts[pk] = round(INFERRED_FIELD_SHARE * confidence * belief / top, 6)
    agreement = None
    if chosen and top > 0 and confidence >= JUDGING_CONFIDENCE:
        agreement = max(beliefs.get(pk, 0.0) for pk in chosen) / top
    if chosen:
        trust = 1.0 if agreement is None else CHOSEN_FLOOR + (1 - CHOSEN_FLOOR) * agreement
        for pk in chosen:
            parts[pk] = max(parts.get(pk, 0.0), trust)
    return parts, agreement


def build_query(
    index: MatchIndex,
    *,
    text: str,
    field_ids=(),
    keyword_ids=(),
    fields_confirmed: bool = False,
) -> Query:
    """The need's telling words, expanded with the terms of the entries found in
    it or given as its keywords: the enterprise's 「峰谷价差」 also looks for the
    experts' 「峰谷电价」; a broad 「检测」 adds next to nothing."""
    entries = entries_in_text(index, text)
    for pk in keyword_ids:
        entries[pk] = 1.0  # chosen by the enterprise or confirmed by staff
    terms: dict[str, float] = {}
    for term in index_terms(text):
        if not index.is_common(term):
            terms[term] = 1.0
    for pk, strength in entries.items():
        entry = index.vocabulary.get(pk)
        if entry is None or strength < MIN_ENTRY_STRENGTH:
            continue
        expansion = entry.terms if entry.approved else (normalize(entry.name),)
        share = EXPANSION_SHARE * strength * min(1.0, EXPANSION_TERMS / max(len(expansion), 1))
        for term in expansion:
            for piece in index_terms(term):
                if not index.is_common(piece) and terms.get(piece, 0.0) < share:
                    terms[piece] = share
    similarities = vector = None
    if index.vectors is not None:
        vector = semantic.text_vector(text)
        if vector is not None:
            similarities = index.similarities(vector)
    telling = {pk: s for pk, s in entries.items() if s >= MIN_ENTRY_STRENGTH}
    beliefs = discipline_beliefs(
        index,
        terms=terms,
        entries=telling,
        text=normalize(text),
        similarities=similarities,
        vector=vector if similarities is not None else None,
    )
    chosen = frozenset(field_ids)
    parts, agreement = field_parts(
        beliefs.shares, beliefs.confidence, chosen, confirmed=fields_confirmed
    )
    return Query(
        terms=terms,
        field_ids=chosen,
        keyword_ids=frozenset(pk for pk, s in entries.items() if s >= MIN_ENTRY_STRENGTH),
        entries=entries,
        beliefs=beliefs.shares,
        confidence=beliefs.confidence,
        field_parts=parts,
        agreement=agreement,
        fields_confirmed=fields_confirmed,
        similarities=similarities,
    )


def _feedback_docs(index: MatchIndex, query: Query, text) -> list[int]:
    """The profiles both words and meaning put first: what feedback borrows from."""
    sims = query.similarities
    if not FEEDBACK_DOCS or sims is None or len(sims) < FEEDBACK_MIN_POOL:
        return []
    import numpy as np

    best_text = float(text.max()) or 1.0
    combined = np.asarray(sims, dtype=np.float64) + FEEDBACK_TEXT_SHARE * text / best_text
    count = min(FEEDBACK_DOCS, len(combined))
    return sorted(np.argpartition(-combined, count - 1)[:count].tolist())


def _feedback_similarities(index: MatchIndex, query: Query, top: list[int]):
    """Pseudo-relevance feedback in meaning: the need's vector moved towards the
    profiles that both words and meaning put first (Rocchio), so a short plain
    need borrows the vocabulary of the experts it surely fits."""
    import numpy as np

    sims = query.similarities
    if not top:
        return sims
    centroid = index.vectors[top].mean(axis=0)
    if FEEDBACK_DIRECTION:
        # The direction the profiles share, as long as one profile's vector.
        length = float(np.linalg.norm(index.vectors[top[0]]))
        centroid *= length / (float(np.linalg.norm(centroid)) or 1.0)
    moved = semantic.dot(index.vectors, centroid)
    return (1 - FEEDBACK_WEIGHT) * sims + FEEDBACK_WEIGHT * moved


def _feedback_terms(index: MatchIndex, query: Query, top: list[int]) -> dict[str, float]:
    """Pseudo-relevance feedback in words: the terms the first profiles share most,
    at a fraction of the need's own words, so 「马达发烫」 also looks for the 「电机」
    of the experts meaning found first."""
    if not top or not FEEDBACK_TERMS:
        return {}
    gathered: dict[str, float] = {}
    for position in top:
        terms = index.doc_terms[position]
        best = terms[0][1] if terms else 1.0
        for term, weight in terms:
            if term not in query.terms:
                gathered[term] = gathered.get(term, 0.0) + weight / best / len(top)
    chosen = sorted(gathered.items(), key=lambda kv: (-kv[1], kv[0]))[:FEEDBACK_TERMS]
    return {term: round(FEEDBACK_TERM_WEIGHT * value, 6) for term, value in chosen}


def _semantic_parts(query: Query, sims=None):
    """The semantic part 0..1 of every document (numpy; 0 but for the nearest)."""
    import numpy as np

    sims = query.similarities if sims is None else sims
    parts = np.zeros(len(sims) if sims is not None else 0)
    if sims is None or not len(sims):
        return parts
    base = SEMANTIC_FLOOR
    if len(sims) >= 10:
        base = max(base, float(np.quantile(sims, SEMANTIC_BASE_QUANTILE)))
    count = min(SEMANTIC_CANDIDATES, len(sims))
    nearest = np.argpartition(-sims, count - 1)[:count]
    values = np.round(
        np.minimum(1.0, (sims[nearest].astype(np.float64) - base) / SEMANTIC_RANGE), 6
    )
    parts[nearest] = np.maximum(values, 0.0)
    return parts


def _add_postings(index: MatchIndex, scores, terms: dict[str, float]) -> None:
    for term in sorted(terms):
        positions, values = index.posting_arrays(term)
        if len(positions):
            scores[positions] += terms[term] * values


def rank(index: MatchIndex, query: Query, *, limit: int = 10, weights=None) -> list:
    """The best ``limit`` candidates, scored over the whole index at once (numpy
    arrays, one value per document: thousands of experts in a few milliseconds)."""
    import numpy as np

    weights = weights or match_weights()
    size = len(index)
    if not size or limit <= 0:
        return []
    text = np.zeros(size)
    _add_postings(index, text, query.terms)
    top = _feedback_docs(index, query, text)
    borrowed = _feedback_terms(index, query, top)
    _add_postings(index, text, borrowed)
    semantic_parts = np.zeros(size)
    if weights.get("semantic") and query.similarities is not None:
        semantic_parts = _semantic_parts(query, _feedback_similarities(index, query, top))
    fields = np.zeros(size)
    for pk, part in query.field_parts.items():
        positions = index.field_positions(pk)
        fields[positions] = np.maximum(fields[positions], part)
    strength = np.zeros(size)
    for pk in sorted(query.keyword_ids):
        strength[index.keyword_positions(pk)] += query.entries.get(pk, 1.0)
    keyword = np.where(strength > 0, 1 - 0.5**strength, 0.0)
    best_text = max(float(text.max()), TEXT_FULL_SCORE) or 1.0
    text /= best_text

    relevance = (
        weights["text"] * text
        + weights.get("semantic", 0.0) * semantic_parts
        + weights["field"] * fields
        + weights["keyword"] * keyword
    )
    # Only relevance makes a candidate; ties go to the lower id.
    candidates = np.flatnonzero(relevance > 0)
    scores = np.round(relevance[candidates] + index.prior_array(weights)[candidates], 9)
    order = np.lexsort((index.pk_array()[candidates], -scores))[:limit]
    recommendations = []
    for position, score in zip(candidates[order].tolist(), scores[order].tolist(), strict=True):
        parts = {
            "text": float(text[position]),
            "semantic": float(semantic_parts[position]),
            "field": float(fields[position]),
            "keyword": float(keyword[position]),
            **index.priors[position],
        }
        recommendations.append(
            Recommendation(
                expert=index.docs[position].expert,
                score=score,
                reasons=explain(index, query, position, parts, borrowed),
                signals={name: round(weights[name] * parts[name], 4) for name in SIGNALS},
            )
        )
    return recommendations


def _matched_terms(index: MatchIndex, terms: dict[str, float], position: int, shown: str):
    contributions = [
        (weight * terms[term], term)
        for term in terms
        if (weight := index.postings.get(term, {}).get(position)) and term not in shown
    ]
    contributions.sort(key=lambda pair: (-pair[0], pair[1]))
    return [term for _weight, term in contributions[:3]]


def explain(
    index: MatchIndex, query: Query, position: int, parts: dict, borrowed=None
) -> list[dict]:
    """The reasons as data (``reasons``), in a fixed order: relevance first, workload
    last. Each names what gave its signal a part of the score, and only then; the
    words borrowed from the best-fitting profiles (``borrowed``) apart from the need's own."""
    doc = index.docs[position]
    expert = doc.expert
    found = []
    shared_fields, related_fields = [], []
    if parts["field"] > 0:
        shared_fields = sorted(index.field_names[pk] for pk in doc.field_ids & query.field_ids)
        related_fields = sorted(
            index.field_names[pk] for pk in doc.field_ids & query.implied_field_ids
        )
    if shared_fields:
        found.append(reason(SAME_FIELDS, names=[name for _c, name in shared_fields]))
    if related_fields and not shared_fields:
        found.append(reason(RELATED_FIELDS, names=[name for _c, name in related_fields]))
    shared_keywords = []
    if parts["keyword"] > 0:
        shared_keywords = sorted(
            index.vocabulary[pk].name for pk in doc.keyword_ids & query.keyword_ids
        )
    if shared_keywords:
        found.append(reason(KEYWORDS, names=shared_keywords))
    if parts["text"] > 0:
        shown = " ".join(
            [*(name for _c, name in shared_fields), *shared_keywords]
            + [" ".join(index.vocabulary[pk].terms) for pk in doc.keyword_ids & query.keyword_ids]
        )
        terms = _matched_terms(index, query.terms, position, shown)
        if terms:
            found.append(reason(PROFILE_WORDS, words=terms))
        terms = _matched_terms(index, borrowed or {}, position, shown)
        if terms:
            found.append(reason(BORROWED_WORDS, words=terms))
    if parts.get("semantic", 0) > 0:
        found.append(reason(SIMILAR_CONTENT))
    if expert.region == Expert.Region.LOCAL:
        found.append(reason(LOCAL_EXPERT))
    elif expert.region in DELTA_REGIONS:
        found.append(reason(DELTA_EXPERT, region=str(expert.region)))
    if doc.invitations_year:
        rate = round(100 * doc.answered_year / doc.invitations_year)
        found.append(reason(RESPONSE_RATE, rate=rate))
    if doc.rating_count:
        found.append(reason(RATING, mean=round(doc.rating_mean, 1), count=doc.rating_count))
    if doc.open_engagements:
        found.append(reason(OPEN_ENGAGEMENTS, count=doc.open_engagements))
    if expert.availability == Expert.Availability.BUSY:
        found.append(reason(BUSY))
    return found
