"""The in-memory index of expert documents.

Built once per process from the recommendable experts (a handful of queries),
kept while the index version in the cache is unchanged; every change to an
expert, the vocabulary or the records behind the availability signals bumps
the version (``experts.models.matching``). An index built inside a transaction
may have read uncommitted rows, so it serves that call only.
"""

import math
import re
import threading
import time
from dataclasses import dataclass, field
from datetime import timedelta

from django.conf import settings
from django.core.cache import cache
from django.db import connection
from django.db.models import Avg, Count, Exists, IntegerField, OuterRef, Subquery, Value
from django.db.models.functions import Coalesce
from django.utils import timezone

from experts.matching.weights import PRIOR_SIGNALS
from experts.models import Engagement, Expert, Invitation, Keyword, Rating, Response, TechNeed
from experts.models.matching import INDEX_VERSION_KEY
from kexie.platform.lib.text import STOPWORDS, normalize, search_tokens

_CJK_RE = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]")

# BM25's usual constants: term frequency saturation and length normalisation.
BM25_K1 = 1.2
BM25_B = 0.75

DELTA_REGIONS = frozenset(
    {Expert.Region.ZHEJIANG, Expert.Region.SHANGHAI, Expert.Region.JIANGSU, Expert.Region.ANHUI}
)


def index_terms(text: str) -> list[str]:
    """Words and sub-words that carry meaning; the same for documents and queries."""
    return [
        t
        for t in search_tokens(text)
        if t not in STOPWORDS and not (len(t) == 1 and _CJK_RE.match(t)) and not t.isdigit()
    ]


@dataclass(frozen=True)
class VocabularyEntry:
    pk: int
    name: str
    terms: tuple[str, ...]  # normalised name and synonyms, two characters or more
    approved: bool
    discipline_id: int | None = None


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
    pks: list[int] = field(default_factory=list)
    priors: list[dict[str, float]] = field(default_factory=list)
    _prior_scores: dict[tuple, list[float]] = field(default_factory=dict)

    def __post_init__(self):
        self.pks = [doc.pk for doc in self.docs]
        self.priors = [doc.prior_parts() for doc in self.docs]

    def __len__(self) -> int:
        return len(self.docs)

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


def build_index(experts=None) -> MatchIndex:
    """Four queries: experts with their activity, their fields, their keywords, the vocabulary."""
    rows = list(_expert_rows(experts if experts is not None else recommendable_experts()))
    pks = {e.pk for e in rows}
    fields: dict[int, set[int]] = {}
    field_names: dict[int, tuple[str, str]] = {}
    for expert_id, pk, code, name in Expert.fields.through.objects.values_list(
        "expert_id", "discipline_id", "discipline__code", "discipline__name"
    ):
        if expert_id in pks:
            fields.setdefault(expert_id, set()).add(pk)
            field_names[pk] = (code, name)
    keywords: dict[int, set[int]] = {}
    for expert_id, pk in Expert.keywords.through.objects.values_list("expert_id", "keyword_id"):
        if expert_id in pks:
            keywords.setdefault(expert_id, set()).add(pk)
    vocabulary = {}
    for pk, name, synonyms, approved, discipline_id in Keyword.objects.values_list(
        "pk", "name", "synonyms", "is_approved", "discipline_id"
    ):
        entry = Keyword(name=name, synonyms=synonyms)
        terms = tuple(dict.fromkeys(normalize(t) for t in entry.terms() if len(t) >= 2))
        vocabulary[pk] = VocabularyEntry(
            pk=pk, name=name, terms=terms, approved=approved, discipline_id=discipline_id
        )

    docs: list[ExpertDoc] = []
    frequencies: list[dict[str, int]] = []
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
        # The profile as the public sees it: fields, keywords with their synonyms, biography.
        text = " ".join(
            [
                *(field_names[pk][1] for pk in sorted(doc.field_ids)),
                *(" ".join(vocabulary[pk].terms) for pk in sorted(doc.keyword_ids)),
                expert.biography,
            ]
        )
        counts: dict[str, int] = {}
        for term in index_terms(text):
            counts[term] = counts.get(term, 0) + 1
        frequencies.append(counts)

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
    return MatchIndex(
        docs=docs,
        postings=postings,
        by_field=by_field,
        by_keyword=by_keyword,
        vocabulary=vocabulary,
        field_names=field_names,
        built_at=time.monotonic(),
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
    """Drop this process's index (tests and the benchmark)."""
    global _current
    _current = None
