"""Reads of the search index: the matching documents, grouped by kind, best first.

On PostgreSQL a document matches through its ``tsvector`` (GIN index) and is
ranked with ``ts_rank``; elsewhere the same terms are matched with ``LIKE``
over the term columns and ranked by the query words found in the title.

A very common word matches tens of thousands of documents, and ranking or
counting all of them takes seconds. So only the newest ``CANDIDATES`` matches
(a cheap order the GIN index or the primary key serves) are counted and ranked;
when there are more, the counts are shown as "500+" and the page says so.
"""

import functools
import operator
import re
from collections import Counter
from dataclasses import dataclass, field

from django.conf import settings
from django.contrib.postgres.search import SearchQuery, SearchRank
from django.core.paginator import Paginator
from django.db.models import Case, F, FloatField, Q, QuerySet, Value, When, Window
from django.db.models.functions import RowNumber
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _
from django.utils.translation import pgettext_lazy

from experts.models import Keyword
from kexie.platform.lib import text
from kexie.portal.search import terms
from kexie.portal.search.models import SearchDocument

MAX_QUERY_LENGTH = 50
PER_KIND_PREVIEW = 5
PER_PAGE = 20
SNIPPET_LENGTH = 120
KIND_ORDER = list(SearchDocument.Kind.values)
# Matches counted and ranked at most; one more tells whether there were more.
CANDIDATES = 500
# Headings of the groups of results: plural where the language has one.
KIND_HEADINGS = {
    SearchDocument.Kind.EVENT: pgettext_lazy("search results", "科普活动"),
    SearchDocument.Kind.VENUE: pgettext_lazy("search results", "科普阵地"),
    SearchDocument.Kind.SOCIETY: pgettext_lazy("search results", "学会"),
    SearchDocument.Kind.BRANCH: pgettext_lazy("search results", "基层组织"),
    SearchDocument.Kind.EXPERT: pgettext_lazy("search results", "专家"),
    SearchDocument.Kind.NEED: pgettext_lazy("search results", "技术需求"),
    SearchDocument.Kind.ACHIEVEMENT: pgettext_lazy("search results", "科技成果"),
    SearchDocument.Kind.ARTICLE: pgettext_lazy("search results", "新闻与公告"),
}


def _postgres_query(matcher) -> SearchQuery:
    if isinstance(matcher, terms.Leaf):
        return SearchQuery(matcher.terms, config="simple", search_type="phrase")
    parts = [_postgres_query(part) for part in matcher.parts]
    combine = operator.or_ if isinstance(matcher, terms.Any) else operator.and_
    return functools.reduce(combine, parts)


def _like(matcher, columns: tuple[str, ...]) -> Q:
    if isinstance(matcher, terms.Leaf):
        return functools.reduce(
            operator.or_, (Q(**{f"{c}__contains": f" {matcher.terms} "}) for c in columns)
        )
    parts = [_like(part, columns) for part in matcher.parts]
    combine = operator.or_ if isinstance(matcher, terms.Any) else operator.and_
    return functools.reduce(combine, parts)


def _matching(parsed: terms.ParsedQuery, *, any_word: bool) -> QuerySet | None:
    """Every matching document, unranked."""
    matcher = parsed.matcher(any_word=any_word)
    if matcher is None:
        return None
    if settings.IS_POSTGRES:
        return SearchDocument.objects.filter(search_vector=_postgres_query(matcher))
    return SearchDocument.objects.filter(_like(matcher, ("title_terms", "body_terms")))


def _candidates(documents: QuerySet) -> list[tuple[int, str]]:
    """``(pk, kind)`` of the newest ``CANDIDATES`` + 1 matches, the only ones
    counted and ranked. Read once, so the ranking query does not search again."""
    return list(documents.order_by("-pk").values_list("pk", "kind")[: CANDIDATES + 1])


def _ranked(pks: list[int], parsed: terms.ParsedQuery, *, any_word: bool) -> QuerySet:
    """The documents of ``pks`` annotated with ``rank`` (higher is better)."""
    candidates = SearchDocument.objects.filter(pk__in=pks)
    if settings.IS_POSTGRES:
        query = _postgres_query(parsed.matcher(any_word=any_word))
        return candidates.annotate(rank=SearchRank(F("search_vector"), query))
    title_hits = [
        Case(When(_like(u.matcher(), ("title_terms",)), then=Value(1.0)), default=Value(0.0))
        for u in parsed.units
    ]
    return candidates.annotate(
        rank=functools.reduce(operator.add, title_hits, Value(0.0, output_field=FloatField()))
    )


def _counts(candidates: list[tuple[int, str]]) -> dict[str, int]:
    return dict(Counter(kind for _, kind in candidates))


@dataclass
class Hit:
    document: SearchDocument
    title: SafeString
    snippet: SafeString


@dataclass
class Group:
    kind: str
    label: str
    count: int
    capped: bool = False  # more matches than were counted
    hits: list[Hit] = field(default_factory=list)

    @property
    def count_label(self) -> str:
        return f"{self.count}+" if self.capped else str(self.count)


@dataclass
class SearchResults:
    query: str = ""
    kind: str = ""
    error: str = ""
    relaxed: bool = False  # no document had every word; any meaningful word was enough
    capped: bool = False  # more than CANDIDATES matches: counts are lower bounds
    counts: dict[str, int] = field(default_factory=dict)
    groups: list[Group] = field(default_factory=list)
    page: object = None  # a Page of Hit when one kind is chosen

    @property
    def total(self) -> int:
        return sum(self.counts.values())

    @property
    def without_chinese(self) -> bool:
        """No Chinese character in the query: what the portal holds is written
        in Chinese, so a search in English words mostly finds nothing."""
        return _CJK_CHARACTER_RE.search(self.query) is None

    @property
    def total_label(self) -> str:
        return f"{CANDIDATES}+" if self.capped else str(self.total)

    @property
    def candidates(self) -> int:
        return CANDIDATES

    @property
    def kind_counts(self) -> list[tuple[str, str, str]]:
        suffix = "+" if self.capped else ""
        return [
            (k, KIND_HEADINGS[k], f"{self.counts[k]}{suffix}")
            for k in KIND_ORDER
            if self.counts.get(k)
        ]


_CJK_CHARACTER_RE = re.compile(f"[{terms.CJK}]")


def _highlighter(words: list[str]):
    if not words:
        return escape
    pattern = re.compile("|".join(re.escape(w) for w in words), re.IGNORECASE)

    def highlight(value: str) -> SafeString:
        pieces, last = [], 0
        for found in pattern.finditer(value):
            pieces.append(escape(value[last : found.start()]))
            pieces.append(f"<mark>{escape(found.group())}</mark>")
            last = found.end()
        pieces.append(escape(value[last:]))
        return mark_safe("".join(pieces))  # noqa: S308 - every piece is escaped above

    return highlight


def _snippet(body: str, words: list[str]) -> str:
    body = " ".join(body.split())
    lowered = body.lower()
    positions = [p for p in (lowered.find(w) for w in words) if p >= 0]
    start = max(0, min(positions) - 20) if positions else 0
    snippet = body[start : start + SNIPPET_LENGTH]
    return ("…" if start else "") + snippet + ("…" if start + SNIPPET_LENGTH < len(body) else "")


class _CountedPage:
    """A queryset whose length is already known, so the paginator does not count again."""

    def __init__(self, queryset: QuerySet, count: int):
        self.queryset, self.total = queryset, count

    def count(self) -> int:
        return self.total

    def __getitem__(self, index):
        return self.queryset[index]


def synonym_groups() -> list[list[str]]:
    """The shared vocabulary's approved entries, each its name and synonyms: one
    vocabulary for the search and the matching (``experts.Keyword``), so a word
    staff teach one is known to the other. One query."""
    groups = []
    for name, synonyms in Keyword.objects.filter(is_approved=True).values_list("name", "synonyms"):
        words = list(
            dict.fromkeys(text.normalize(w) for w in Keyword(name=name, synonyms=synonyms).terms())
        )
        if len(words) >= 2:
            groups.append(words)
    return groups


def search(*, query: str, kind: str = "", page: str | int | None = 1) -> SearchResults:
    query = terms.clean_query(query)
    kind = kind if kind in KIND_ORDER else ""
    results = SearchResults(query=query, kind=kind)
    if not query:
        return results
    if len(query) > MAX_QUERY_LENGTH:
        results.error = _("搜索词太长，请不要超过 %(max)d 个字。") % {"max": MAX_QUERY_LENGTH}
        return results
    parsed = terms.parse(query, synonym_groups())
    if not parsed.units:
        return results
    candidates = _candidates(_matching(parsed, any_word=False))
    results.counts = _counts(candidates)
    if not results.counts and parsed.can_fall_back:
        documents = _matching(parsed, any_word=True)
        if documents is not None:
            results.relaxed = True
            candidates = _candidates(documents)
            results.counts = _counts(candidates)
    if not results.counts:
        return results
    if results.total > CANDIDATES:  # the one past the cap only told that there are more
        results.capped = True
        candidates = candidates[:CANDIDATES]
        results.counts = _counts(candidates)
    if kind:
        candidates = [(pk, k) for pk, k in candidates if k == kind]
    documents = _ranked([pk for pk, _ in candidates], parsed, any_word=results.relaxed)

    words = parsed.highlight_words
    highlight = _highlighter(words)

    def hit(document: SearchDocument) -> Hit:
        return Hit(document, highlight(document.title), highlight(_snippet(document.body, words)))

    best_first = [F("rank").desc(), F("date").desc(nulls_last=True), F("pk").desc()]
    columns = ["kind", "object_id", "title", "body", "url", "date", "extra"]
    if kind:
        ordered = documents.only(*columns).order_by(*best_first)
        paginator = Paginator(_CountedPage(ordered, results.counts.get(kind, 0)), PER_PAGE)
        results.page = paginator.get_page(page)
        results.page.object_list = [hit(d) for d in results.page.object_list]
        return results

    previews = (
        documents.only(*columns)
        .annotate(
            place=Window(RowNumber(), partition_by=[F("kind")], order_by=best_first),
        )
        .filter(place__lte=PER_KIND_PREVIEW)
        .order_by("kind", "place")
    )
    groups = {
        k: Group(k, KIND_HEADINGS[k], results.counts[k], capped=results.capped)
        for k in KIND_ORDER
        if k in results.counts
    }
    for document in previews:
        groups[document.kind].hits.append(hit(document))
    results.groups = list(groups.values())
    return results
