"""The in-memory index of expert documents.

Built once per process from the recommendable experts (a handful of queries),
kept while the index version in the cache is unchanged; every change to an
expert, the vocabulary or the records behind the availability signals bumps
the version (``experts.models.matching``). An index built inside a transaction
may have read uncommitted rows, so it serves that call only.
"""

import contextlib
import logging
import math
import threading
import time
from dataclasses import dataclass, field
from datetime import timedelta

from django.conf import settings
from django.core.cache import cache
from django.db import DatabaseError, connection, transaction
from django.db.models import Avg, Count, Exists, IntegerField, OuterRef, Subquery, Value
from django.db.models.functions import Coalesce
from django.utils import timezone

from experts.matching import semantic
from experts.matching.weights import PRIOR_SIGNALS
from experts.models import (
    Discipline,
    Engagement,
    Expert,
    Invitation,
    Keyword,
    Rating,
    Response,
    TechNeed,
)
from experts.models.matching import INDEX_VERSION_KEY, ExpertVector, KeywordVector
from kexie.platform.lib.text import idf as general_idf
from kexie.platform.lib.text import is_content_term, normalize, search_tokens

logger = logging.getLogger(__name__)


# BM25's usual constants: term frequency saturation and length normalisation.
BM25_K1 = 1.2
BM25_B = 0.75

# Boilerplate is learned, not listed: a term in more than this share of the
# profiles (once the pool is large enough to tell) says nothing about who fits …
COMMON_SHARE = 0.12
COMMON_MIN_DOCS = 30
# … nor does a word this common in general Chinese (jieba's IDF: 技术 4.7, 合作 5.5,
# 从事 5.6; 检测 6.9, 模具 9.7, 注塑 11.6).
GENERIC_IDF = 5.8
# How telling a vocabulary term is, from its general-language IDF: 0 at or below
# the first figure, 1 at or above the second.
SPECIFIC_IDF = (6.0, 10.0)
# … and from its share of the profiles: fully telling up to the first, not at all from the second;
SPECIFIC_SHARE = (0.03, 0.25)
# … and, once this many profiles hold it, from how much they gather in one discipline
# (「包装」 spread over food, machinery and logistics tells less than 「注塑」).
SPECIFIC_SUPPORT = 3

# Terms kept per document for feedback.
DOC_TERMS = 20

DELTA_REGIONS = frozenset(
    {Expert.Region.ZHEJIANG, Expert.Region.SHANGHAI, Expert.Region.JIANGSU, Expert.Region.ANHUI}
)


def index_terms(text: str) -> list[str]:
    """Words and sub-words that carry meaning; the same for documents and queries."""
    return [t for t in search_tokens(text) if is_content_term(t)]


@dataclass(frozen=True)
class VocabularyEntry:
    pk: int
    name: str
    terms: tuple[str, ...]  # normalised name and synonyms, two characters or more
    approved: bool
    discipline_id: int | None = None
    # How telling each term is, 0..1, in the order of ``terms`` (see ``term_specificity``).
    specificity: tuple[float, ...] = ()

    @property
    def matchable_terms(self) -> tuple[tuple[str, float], ...]:
        """Terms that find this entry in a need's text: every term of an approved entry;
        of an entry still waiting for approval, its own name only (no synonym or
        discipline counts before staff have looked)."""
        pairs = tuple(zip(self.terms, self.specificity, strict=False))
        if self.approved:
            return pairs
        own = normalize(self.name)
        return tuple(pair for pair in pairs if pair[0] == own)


@dataclass
class ExpertDoc:
    expert: Expert
    field_ids: frozenset[int]
    keyword_ids: frozenset[int]
    invitations_year: int
    answered_year: int
    open_engagements: int
    rating_mean: float | None
    rating_count: int

    @property
    def pk(self) -> int:
        return self.expert.pk

    def prior_parts(self) -> dict[str, float]:
        """The signals that do not depend on the need (see ``weights``)."""
        expert = self.expert
        region = 0.0
        if expert.region == Expert.Region.LOCAL:
            region = 1.0
        elif expert.region in DELTA_REGIONS:
            region = 0.5
        rating = 0.0
        if self.rating_count:
            # Shrunk towards neutral while ratings are few: one 5-star rating is not a record.
            rating = (self.rating_mean - 3) / 2 * self.rating_count / (self.rating_count + 2)
        response = 0.0
        if self.invitations_year:
            response = self.answered_year / self.invitations_year - 0.5
        workload = -1.0 if expert.availability == Expert.Availability.BUSY else 0.0
        workload = max(-2.0, workload - 0.25 * self.open_engagements)
        return {"region": region, "rating": rating, "response": response, "workload": workload}


@dataclass
class MatchIndex:
    docs: list[ExpertDoc]
    # term → {document position: BM25 weight of the term in that document}
    postings: dict[str, dict[int, float]]
    by_field: dict[int, list[int]]
    by_keyword: dict[int, list[int]]
    vocabulary: dict[int, VocabularyEntry]
    field_names: dict[int, tuple[str, str]] = field(default_factory=dict)  # pk → (code, name)
    built_at: float = 0.0
    # Terms too common to tell experts apart (learned boilerplate).
    common: frozenset[str] = frozenset()
    disciplines: dict[int, Discipline] = field(default_factory=dict)
    # One unit vector per document (numpy, float32), or None without the semantic bridge.
    vectors: object = None
    pks: list[int] = field(default_factory=list)
    priors: list[dict[str, float]] = field(default_factory=list)
    # Each document's most telling terms with their BM25 weight, best first (feedback).
    doc_terms: list[tuple[tuple[str, float], ...]] = field(default_factory=list)
    _prior_scores: dict[tuple, list[float]] = field(default_factory=dict)
    _term_disciplines: dict[str, dict[int, float]] = field(default_factory=dict)
    _entry_vectors: tuple | None = None
    _discipline_centroids: tuple | None = None
    _posting_arrays: dict = field(default_factory=dict)
    _pk_array: object = None

    def __post_init__(self):
        self.pks = [doc.pk for doc in self.docs]
        self.priors = [doc.prior_parts() for doc in self.docs]

    def __len__(self) -> int:
        return len(self.docs)

    def document_frequency(self, term: str) -> int:
        return len(self.postings.get(term, ()))

    def term_disciplines(self, term: str) -> dict[int, float]:
        """Share of each discipline among the profiles holding ``term`` (an expert of
        two fields counts half in each), kept per term."""
        shares = self._term_disciplines.get(term)
        if shares is None:
            postings = self.postings.get(term, {})
            votes: dict[int, float] = {}
            for position in postings:
                field_ids = self.docs[position].field_ids
                for pk in field_ids:
                    votes[pk] = votes.get(pk, 0.0) + 1 / len(field_ids)
            count = len(postings) or 1
            shares = {pk: value / count for pk, value in votes.items()}
            self._term_disciplines[term] = shares
        return shares

    def entry_vectors(self) -> tuple[list[VocabularyEntry], object]:
        """The approved vocabulary entries that have a vector, and their unit vectors
        (name and first synonyms), gathered once per index; (entries, None) without
        the bridge. A page encodes at most ``ENTRY_ENCODE_IN_REQUEST`` missing ones
        and leaves the rest to a worker (``entry_vectors_prepare``)."""
        if self._entry_vectors is None:
            entries = sorted(
                (e for e in self.vocabulary.values() if e.approved), key=lambda e: e.pk
            )
            self._entry_vectors = entry_vectors(entries, encode_at_most=ENTRY_ENCODE_IN_REQUEST)
        return self._entry_vectors

    def discipline_centroids(self) -> tuple[list[int], object]:
        """The disciplines of the profiles (by pk) and the mean vector of each one's
        profiles (an expert of two fields counts in both), computed once per index;
        ([], None) without the bridge."""
        if self._discipline_centroids is None:
            import numpy as np

            pks: list[int] = []
            centroids = None
            if self.vectors is not None:
                pks = sorted(self.by_field)
                centroids = np.zeros((len(pks), self.vectors.shape[1]), dtype=np.float32)
                for row, pk in enumerate(pks):
                    centroids[row] = self.vectors[self.by_field[pk]].mean(axis=0)
            self._discipline_centroids = (pks, centroids)
        return self._discipline_centroids

    def similarities(self, vector):
        """Cosine of a need's vector to every document."""
        return semantic.dot(self.vectors, vector)

    def posting_arrays(self, term: str):
        """(positions, BM25 weights) of a term as numpy arrays, kept per term."""
        arrays = self._posting_arrays.get(term)
        if arrays is None:
            import numpy as np

            postings = self.postings.get(term, {})
            arrays = (
                np.fromiter(postings.keys(), dtype=np.int64, count=len(postings)),
                np.fromiter(postings.values(), dtype=np.float64, count=len(postings)),
            )
            self._posting_arrays[term] = arrays
        return arrays

    def field_positions(self, pk: int):
        return self._positions(("field", pk), self.by_field)

    def keyword_positions(self, pk: int):
        return self._positions(("keyword", pk), self.by_keyword)

    def _positions(self, key, lists):
        positions = self._posting_arrays.get(key)
        if positions is None:
            import numpy as np

            positions = np.array(lists.get(key[1], ()), dtype=np.int64)
            self._posting_arrays[key] = positions
        return positions

    def pk_array(self):
        if self._pk_array is None:
            import numpy as np

            self._pk_array = np.array(self.pks, dtype=np.int64)
        return self._pk_array

    def prior_array(self, weights: dict[str, float]):
        import numpy as np

        key = ("array", *sorted(weights.items()))
        array = self._prior_scores.get(key)
        if array is None:
            array = np.array(self.prior_scores(weights), dtype=np.float64)
            self._prior_scores[key] = array
        return array

    def is_common(self, term: str) -> bool:
        return term in self.common or general_idf(term) < GENERIC_IDF

    def prior_scores(self, weights: dict[str, float]) -> list[float]:
        """Weighted sum of each expert's need-independent signals, kept per set of weights."""
        key = tuple(sorted(weights.items()))
        scores = self._prior_scores.get(key)
        if scores is None:
            scores = [sum(weights[n] * parts[n] for n in PRIOR_SIGNALS) for parts in self.priors]
            self._prior_scores[key] = scores
        return scores


def recommendable_experts():
    """Experts who may be recommended at all."""
    return Expert.objects.filter(is_active=True, is_public=True).exclude(
        availability=Expert.Availability.UNAVAILABLE
    )


def _count(queryset, group: str = "expert"):
    return Coalesce(
        Subquery(
            queryset.order_by().values(group).annotate(n=Count("pk")).values("n")[:1],
            output_field=IntegerField(),
        ),
        Value(0),
    )


def _expert_rows(experts):
    since = timezone.now() - timedelta(days=365)
    invitations = Invitation.objects.filter(expert=OuterRef("pk"), created_at__gte=since)
    answered = invitations.filter(
        Exists(Response.objects.filter(need=OuterRef("need"), expert=OuterRef("expert")))
    )
    open_engagements = Engagement.objects.filter(
        expert=OuterRef("pk"),
        need__status__in=[TechNeed.Status.ACCEPTED, TechNeed.Status.IN_SERVICE],
    )
    ratings = Rating.objects.filter(engagement__expert=OuterRef("pk")).order_by()
    return experts.annotate(
        invitations_year=_count(invitations),
        answered_year=_count(answered),
        open_engagements=_count(open_engagements),
        rating_mean=Subquery(
            ratings.values("engagement__expert").annotate(m=Avg("overall")).values("m")[:1]
        ),
        rating_count=_count(ratings, group="engagement__expert"),
    ).order_by("pk")


def profile_text(field_names: list[str], keyword_terms: list[str], biography: str) -> str:
    """The profile as the public sees it: fields, keywords with their synonyms, biography."""
    return " ".join([*field_names, *keyword_terms, biography])


def semantic_text(field_names: list[str], keyword_names: list[str], biography: str) -> str:
    """What the sentence encoder reads of a profile: its fields, keywords and the
    start of its biography (synonyms are left to the model)."""
    parts = ["、".join(field_names), "、".join(keyword_names), biography[: semantic.PROFILE_CHARS]]
    return "。".join(part for part in parts if part)


def general_specificity(term: str) -> float:
    """How telling a word is in general Chinese, 0..1, from jieba's IDF."""
    low, high = SPECIFIC_IDF
    return min(1.0, max(0.0, (general_idf(term) - low) / (high - low)))


def term_specificity(
    term: str, document_frequency: int, total: int, concentration: float = 1.0
) -> float:
    """How telling a vocabulary term is, 0..1: rare in general Chinese (jieba's IDF),
    rare among the experts' profiles, and gathered in one discipline there
    (``concentration``: the largest share of one discipline among its holders).
    「检测」 or 「包装」 barely count; 「注塑」 fully."""
    general = general_specificity(term)
    if document_frequency >= SPECIFIC_SUPPORT:
        general *= concentration
    if total < COMMON_MIN_DOCS:
        return general
    share = document_frequency / total
    low, high = SPECIFIC_SHARE
    corpus = 1.0 - min(1.0, max(0.0, (share - low) / (high - low)))
    return general * corpus


def _vocabulary() -> dict[int, VocabularyEntry]:
    vocabulary = {}
    for pk, name, synonyms, approved, discipline_id in Keyword.objects.values_list(
        "pk", "name", "synonyms", "is_approved", "discipline_id"
    ):
        entry = Keyword(name=name, synonyms=synonyms)
        terms = tuple(dict.fromkeys(normalize(t) for t in entry.terms() if len(t) >= 2))
        vocabulary[pk] = VocabularyEntry(
            pk=pk, name=name, terms=terms, approved=approved, discipline_id=discipline_id
        )
    return vocabulary


def _concentration(postings: dict[int, float], docs: list[ExpertDoc]) -> float:
    votes: dict[int, float] = {}
    for position in postings:
        field_ids = docs[position].field_ids
        for pk in field_ids:
            votes[pk] = votes.get(pk, 0.0) + 1 / len(field_ids)
    return max(votes.values(), default=0.0) / (len(postings) or 1)


def _with_specificity(vocabulary, postings, docs) -> dict[int, VocabularyEntry]:
    # A term that names several entries (「包装」 in 食品包装 and in 包装机械) tells less.
    owners: dict[str, int] = {}
    for entry in vocabulary.values():
        if entry.approved:
            for term in entry.terms:
                owners[term] = owners.get(term, 0) + 1
    total = len(docs)
    result = {}
    for pk, entry in vocabulary.items():
        specificity = []
        for term in entry.terms:
            holders = postings.get(term, {})
            value = term_specificity(
                term, len(holders), total, _concentration(holders, docs) if holders else 1.0
            )
            specificity.append(value / max(1, owners.get(term, 1)))
        result[pk] = VocabularyEntry(
            pk=entry.pk,
            name=entry.name,
            terms=entry.terms,
            approved=entry.approved,
            discipline_id=entry.discipline_id,
            specificity=tuple(specificity),
        )
    return result


def _store_vectors(model, rows: list, *, key: str) -> None:
    """Write vectors just encoded (one per ``key``: inserted, or the old one replaced)."""
    try:
        with transaction.atomic():
            model.objects.bulk_create(
                rows,
                batch_size=500,
                update_conflicts=True,
                unique_fields=[key],
                update_fields=["digest", "vector", "updated_at"],
            )
    except DatabaseError:  # pragma: no cover - a read-only replica: encode again next time
        pass


def _vectors(docs: list[ExpertDoc], texts: list[str]):
    """The documents' unit vectors: stored ones whose text is unchanged, the rest
    encoded now and stored (one read, one write)."""
    if not semantic.enabled():
        return None
    import numpy as np

    wanted = {doc.pk: semantic.digest(text) for doc, text in zip(docs, texts, strict=True)}
    stored = {}
    for pk, digest, data in ExpertVector.objects.values_list("expert_id", "digest", "vector"):
        if wanted.get(pk) == digest:
            stored[pk] = semantic.from_bytes(data)
    missing = [i for i, doc in enumerate(docs) if stored.get(doc.pk) is None]
    if missing:
        encoded = semantic.encode([texts[i] for i in missing])
        rows = []
        for i, vector in zip(missing, encoded, strict=True):
            # As stored, so an index ranks alike whether it encoded or read the vector.
            stored[docs[i].pk] = semantic.from_bytes(semantic.to_bytes(vector))
            rows.append(
                ExpertVector(
                    expert_id=docs[i].pk,
                    digest=wanted[docs[i].pk],
                    vector=semantic.to_bytes(vector),
                )
            )
        _store_vectors(ExpertVector, rows, key="expert")
    matrix = np.zeros((len(docs), semantic.dimensions()), dtype=np.float32)
    for i, doc in enumerate(docs):
        matrix[i] = stored[doc.pk]
    return matrix


#: Vocabulary entries a page encodes while it waits (about 4 ms each with both
#: models); a larger backlog (a new model, an imported vocabulary) goes to a worker.
ENTRY_ENCODE_IN_REQUEST = 64

# pk → (digest, vector) of the entries this process has read or encoded: a rebuilt
# index (every few minutes, or when an expert changes) takes them from here.
_entry_memo: dict[int, tuple[str, object]] = {}


def entry_text(entry: VocabularyEntry) -> str:
    """What an entry's vector is computed from: its name and first synonyms."""
    return f"{entry.name}、{'、'.join(entry.terms[:6])}"


def entry_vectors(entries: list[VocabularyEntry], *, encode_at_most: int | None = None):
    """(the entries that have a vector, their vectors as one matrix), in the given
    order; (entries, None) without the bridge. Vectors come from this process's
    memory, else from ``KeywordVector`` (one read), else are encoded and stored:
    all of them, or ``encode_at_most``, and then a worker is asked for the rest."""
    if not entries or not semantic.enabled():
        return entries, None
    import numpy as np

    global _entry_memo
    wanted = {entry.pk: semantic.digest(entry_text(entry)) for entry in entries}
    found = {
        pk: memo[1]
        for pk, digest in wanted.items()
        if (memo := _entry_memo.get(pk)) is not None and memo[0] == digest
    }
    if len(found) < len(wanted):
        for pk, digest, data in KeywordVector.objects.values_list("keyword_id", "digest", "vector"):
            if pk not in found and wanted.get(pk) == digest:
                vector = semantic.from_bytes(data)
                if vector is not None:
                    found[pk] = vector
    missing = [entry for entry in entries if entry.pk not in found]
    if encode_at_most is not None and len(missing) > encode_at_most:
        missing, left = missing[:encode_at_most], len(missing) - encode_at_most
        _entry_vectors_enqueue(left)
    if missing:
        encoded = semantic.encode([entry_text(entry) for entry in missing])
        rows = []
        for entry, vector in zip(missing, encoded, strict=True):
            data = semantic.to_bytes(vector)
            # As stored, so suggestions are alike whether encoded now or read.
            found[entry.pk] = semantic.from_bytes(data)
            rows.append(KeywordVector(keyword_id=entry.pk, digest=wanted[entry.pk], vector=data))
        _store_vectors(KeywordVector, rows, key="keyword")
    _entry_memo = {pk: (wanted[pk], vector) for pk, vector in found.items()}
    kept = [entry for entry in entries if entry.pk in found]
    if not kept:
        return kept, None
    return kept, np.stack([found[entry.pk] for entry in kept])


def _entry_vectors_enqueue(left: int) -> None:
    """Ask a worker to encode the vocabulary's remaining entries (not when tasks run
    in the request itself: there each page encodes its share)."""
    from celery import current_app

    from experts.tasks import entry_vectors_prepare

    if current_app.conf.task_always_eager:
        return
    logger.info("%s vocabulary entries without a vector: a worker encodes them", left)
    with contextlib.suppress(Exception):  # the broker down: the next pages encode their share
        transaction.on_commit(entry_vectors_prepare.delay)


def entry_vectors_prepare() -> int:
    """Encode and store every approved entry's missing vector; how many had one or
    got one."""
    entries = sorted((e for e in _vocabulary().values() if e.approved), key=lambda e: e.pk)
    kept, _vectors = entry_vectors(entries)
    return len(kept)


def build_index(experts=None) -> MatchIndex:
    """Experts with their activity, their fields, their keywords, the vocabulary, the
    disciplines; with the semantic bridge, the stored vectors (and a write of new ones)."""
    rows = list(_expert_rows(experts if experts is not None else recommendable_experts()))
    pks = {e.pk for e in rows}
    disciplines = {d.pk: d for d in Discipline.objects.all()}
    field_names = {pk: (d.code, d.name) for pk, d in disciplines.items()}
    fields: dict[int, set[int]] = {}
    for expert_id, pk in Expert.fields.through.objects.values_list("expert_id", "discipline_id"):
        if expert_id in pks:
            fields.setdefault(expert_id, set()).add(pk)
    keywords: dict[int, set[int]] = {}
    for expert_id, pk in Expert.keywords.through.objects.values_list("expert_id", "keyword_id"):
        if expert_id in pks:
            keywords.setdefault(expert_id, set()).add(pk)
    vocabulary = _vocabulary()

    docs: list[ExpertDoc] = []
    frequencies: list[dict[str, int]] = []
    semantic_texts: list[str] = []
    by_field: dict[int, list[int]] = {}
    by_keyword: dict[int, list[int]] = {}
    for position, expert in enumerate(rows):
        doc = ExpertDoc(
            expert=expert,
            field_ids=frozenset(fields.get(expert.pk, ())),
            keyword_ids=frozenset(keywords.get(expert.pk, ())),
            invitations_year=expert.invitations_year,
            answered_year=expert.answered_year,
            open_engagements=expert.open_engagements,
            rating_mean=expert.rating_mean,
            rating_count=expert.rating_count,
        )
        docs.append(doc)
        for pk in doc.field_ids:
            by_field.setdefault(pk, []).append(position)
        for pk in doc.keyword_ids:
            by_keyword.setdefault(pk, []).append(position)
        names = [field_names[pk][1] for pk in sorted(doc.field_ids)]
        keyword_entries = [vocabulary[pk] for pk in sorted(doc.keyword_ids)]
        text = profile_text(
            names, [" ".join(entry.terms) for entry in keyword_entries], expert.biography
        )
        counts: dict[str, int] = {}
        for term in index_terms(text):
            counts[term] = counts.get(term, 0) + 1
        frequencies.append(counts)
        semantic_texts.append(
            semantic_text(names, [entry.name for entry in keyword_entries], expert.biography)
        )

    lengths = [sum(c.values()) for c in frequencies]
    average = (sum(lengths) / len(lengths)) if lengths else 1.0
    document_frequency: dict[str, int] = {}
    for counts in frequencies:
        for term in counts:
            document_frequency[term] = document_frequency.get(term, 0) + 1
    total = len(docs)
    postings: dict[str, dict[int, float]] = {}
    for position, counts in enumerate(frequencies):
        norm = BM25_K1 * (1 - BM25_B + BM25_B * lengths[position] / (average or 1.0))
        for term, tf in counts.items():
            df = document_frequency[term]
            idf = math.log(1 + (total - df + 0.5) / (df + 0.5))
            postings.setdefault(term, {})[position] = idf * tf * (BM25_K1 + 1) / (tf + norm)
    common = frozenset()
    if total >= COMMON_MIN_DOCS:
        common = frozenset(
            term for term, df in document_frequency.items() if df / total > COMMON_SHARE
        )
    doc_terms = []
    for position, counts in enumerate(frequencies):
        weighted = [
            (term, postings[term][position])
            for term in counts
            if term not in common and general_idf(term) >= GENERIC_IDF
        ]
        weighted.sort(key=lambda pair: (-pair[1], pair[0]))
        doc_terms.append(tuple(weighted[:DOC_TERMS]))
    return MatchIndex(
        docs=docs,
        doc_terms=doc_terms,
        postings=postings,
        by_field=by_field,
        by_keyword=by_keyword,
        vocabulary=_with_specificity(vocabulary, postings, docs),
        field_names=field_names,
        built_at=time.monotonic(),
        common=common,
        disciplines=disciplines,
        vectors=_vectors(docs, semantic_texts),
    )


_lock = threading.Lock()
_current: tuple[str, MatchIndex] | None = None


def _version() -> str:
    try:
        version = cache.get(INDEX_VERSION_KEY)
        if version is None:
            cache.add(INDEX_VERSION_KEY, "initial", timeout=None)
            version = cache.get(INDEX_VERSION_KEY, "initial")
    except Exception:  # noqa: BLE001 - a cache outage falls back to the age limit
        version = "cache-unavailable"
    return version


def current_index() -> MatchIndex:
    """The process's index, rebuilt when the version changed or it grew too old."""
    global _current
    version = _version()
    current = _current
    max_age = getattr(settings, "EXPERTS_MATCH_INDEX_SECONDS", 300)
    if (
        current is not None
        and current[0] == version
        and time.monotonic() - current[1].built_at < max_age
    ):
        return current[1]
    with _lock:
        index = build_index()
        if not connection.in_atomic_block:
            _current = (version, index)
    return index


def forget_index() -> None:
    """Drop this process's index and its vocabulary vectors (tests and the benchmark)."""
    global _current, _entry_memo
    _current = None
    _entry_memo = {}
