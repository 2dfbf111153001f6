"""What staff are shown when they review a need: suggested technical keywords and
disciplines, and whether the text and the chosen field disagree.

Keywords come first from the vocabulary entries the text finds (telling enough
to count), then from the entries nearest the text in meaning, then from the
need's own telling words that are in no entry yet. Junk never appears: numbers,
amounts with units, single letters or characters, and boilerplate (the words the
matching leaves out of every query).
"""

from dataclasses import dataclass, field

from experts.matching.engine import MIN_ENTRY_STRENGTH, build_query
from experts.matching.index import MatchIndex, current_index
from experts.models import Discipline
from kexie.platform.lib import text as text_lib

MAX_KEYWORD_LENGTH = 20

# An entry this near the text in meaning is suggested though none of its words is there.
ENTRY_SIMILARITY = 0.45
MAX_MEANING_ENTRIES = 3


def is_junk(word: str) -> bool:
    """A word never worth suggesting: junk (numbers, units, single characters) or a
    word about the request itself (保密, 面谈)."""
    return text_lib.is_unsuggestible_keyword(word)


@dataclass(frozen=True)
class KeywordSuggestion:
    word: str
    entry_id: int | None = None  # the vocabulary entry, or None for a word in no entry
    strength: float = 0.0
    # How it was found: "text" (its words are in the need), "meaning", "word".
    source: str = "text"
    # Ticked in the review form: entries the text finds (or already confirmed).
    checked: bool = False


@dataclass(frozen=True)
class DisciplineSuggestion:
    discipline: Discipline
    belief: float
    chosen: bool = False
    checked: bool = False

    @property
    def percent(self) -> int:
        return round(100 * self.belief)


@dataclass
class TermSuggestions:
    keywords: list[KeywordSuggestion] = field(default_factory=list)
    disciplines: list[DisciplineSuggestion] = field(default_factory=list)
    # The text points elsewhere than the chosen fields.
    disagrees: bool = False
    # Every discipline, for a field neither chosen nor suggested.
    catalogue: list[Discipline] = field(default_factory=list)
    # The approved entries among the keywords: what a plain word may be taught to mean.
    entries: list = field(default_factory=list)


def _meaning_entries(index: MatchIndex, need_text: str, seen: set[int]) -> list:
    from experts.matching import semantic

    vector = semantic.text_vector(need_text)
    entries, vectors = index.entry_vectors()
    if vector is None or vectors is None or not entries:
        return []
    similarities = semantic.dot(vectors, vector)
    nearest = sorted(range(len(entries)), key=lambda i: (-float(similarities[i]), entries[i].pk))
    found = []
    for i in nearest[:MAX_MEANING_ENTRIES]:
        if float(similarities[i]) >= ENTRY_SIMILARITY and entries[i].pk not in seen:
            found.append(
                KeywordSuggestion(
                    word=entries[i].name,
                    entry_id=entries[i].pk,
                    strength=round(float(similarities[i]), 3),
                    source="meaning",
                )
            )
    return found


def suggest_terms(
    need_text: str,
    *,
    field_ids=(),
    limit: int = 8,
    with_meaning: bool = True,
    index: MatchIndex | None = None,
    query=None,
) -> TermSuggestions:
    """Keywords and disciplines to suggest for a need's public text; ``query`` (built
    on ``index``) when the caller has it already."""
    index = index or current_index()
    query = query or build_query(index, text=need_text, field_ids=field_ids)
    suggestions: list[KeywordSuggestion] = []
    seen: set[int] = set()
    normalized = text_lib.normalize(need_text)
    strong = [
        (pk, strength)
        for pk, strength in query.entries.items()
        if strength >= MIN_ENTRY_STRENGTH and pk in index.vocabulary
    ]

    def position(pk: int) -> int:
        found_at = normalized.find(text_lib.normalize(index.vocabulary[pk].name))
        return found_at if found_at >= 0 else len(normalized)

    for pk, strength in sorted(strong, key=lambda pair: (position(pair[0]), pair[0])):
        entry = index.vocabulary[pk]
        if not is_junk(entry.name):
            suggestions.append(
                KeywordSuggestion(word=entry.name, entry_id=pk, strength=strength, checked=True)
            )
            seen.add(pk)
    if with_meaning:
        suggestions += _meaning_entries(index, need_text, seen)
    known = {s.word for s in suggestions}
    known_terms = {term for e in index.vocabulary.values() for term in e.terms}
    for word in text_lib.keywords(need_text, limit=limit * 2):
        if len(suggestions) >= limit:
            break
        if (
            word in known
            or is_junk(word)
            or index.is_common(word)
            or len(word) > MAX_KEYWORD_LENGTH
            or text_lib.normalize(word) in known_terms
        ):
            continue
        suggestions.append(KeywordSuggestion(word=word, source="word"))
        known.add(word)
    chosen = set(field_ids)
    ranked = [
        pk
        for pk, belief in sorted(query.beliefs.items(), key=lambda pair: (-pair[1], pair[0]))
        if belief >= 0.05 and pk in index.disciplines and query.confidence > 0
    ][:3]
    # Ticked: the chosen fields, unless the text points elsewhere; then (or with no
    # field chosen) the likeliest one.
    ticked = set() if query.disagrees else set(chosen)
    if not ticked and ranked:
        ticked = {ranked[0]}
    disciplines = [
        DisciplineSuggestion(
            index.disciplines[pk],
            round(query.beliefs.get(pk, 0.0), 3),
            chosen=pk in chosen,
            checked=pk in ticked,
        )
        for pk in [*ranked, *sorted(chosen - set(ranked))]
        if pk in index.disciplines
    ]
    keywords = suggestions[:limit]
    return TermSuggestions(
        keywords=keywords,
        entries=[
            index.vocabulary[k.entry_id]
            for k in keywords
            if k.entry_id is not None and index.vocabulary[k.entry_id].approved
        ],
        disciplines=disciplines,
        disagrees=query.disagrees,
        catalogue=sorted(index.disciplines.values(), key=lambda d: d.code),
    )
