"""Terms for the index and for queries, on top of ``kexie.platform.lib.text``.

A document's terms are, in this order: the segmenter's search-mode words
(with their sub-words), every CJK character once, and every CJK character
bigram in reading order. The characters make one-character queries work; the
ordered bigrams make any longer Chinese word findable as a phrase of its
bigrams (锂电池 → "锂电 电池") even where the segmenter cut the document
differently. Terms are joined by spaces with a space at each end, so both
PostgreSQL (``to_tsvector('simple', …)``) and a plain ``LIKE '% 电池 %'`` see
whole terms.
"""

import re
from dataclasses import dataclass, field

from kexie.platform.lib import text

CJK = "\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff"
_CJK_RUN_RE = re.compile(f"[{CJK}]+")
_CJK_ONLY_RE = re.compile(f"[{CJK}]+$")
_CONTROL_RE = re.compile(r"[\x00-\x1f\x7f]")


def _unique(items) -> list[str]:
    return list(dict.fromkeys(items))


def bigrams(run: str) -> list[str]:
    return [run[i : i + 2] for i in range(len(run) - 1)]


def index_terms(value: str) -> str:
    normalized = text.normalize(_CONTROL_RE.sub(" ", value or ""))
    runs = _CJK_RUN_RE.findall(normalized)
    words = _unique(text.search_tokens(normalized))
    chars = _unique(char for run in runs for char in run)
    pairs = [pair for run in runs for pair in bigrams(run)]
    terms = words + chars + pairs
    return f" {' '.join(terms)} " if terms else ""


@dataclass(frozen=True)
class Leaf:
    """Consecutive terms: one term, or a phrase of bigrams."""

    terms: str


@dataclass(frozen=True)
class Any:
    """At least one of the parts matches."""

    parts: tuple


@dataclass(frozen=True)
class All:
    parts: tuple


def word_matcher(word: str):
    """What must be in the index for a document to contain ``word``."""
    if _CJK_ONLY_RE.match(word) and len(word) > 2:
        return Any((Leaf(word), Leaf(" ".join(bigrams(word)))))
    pieces = text.tokens(word)
    if len(pieces) > 1:
        return Any((Leaf(word), All(tuple(word_matcher(p) for p in pieces))))
    return Leaf(word)


@dataclass
class Unit:
    """One word of the query with the words that may stand in for it."""

    word: str
    alternatives: list[str]

    @property
    def is_weak(self) -> bool:
        """A stop word or a lone Chinese character: too common to find things alone."""
        return (
            self.word in text.STOPWORDS
            or bool(_CJK_ONLY_RE.match(self.word))
            and len(self.word) == 1
        )

    def matcher(self):
        matchers = [word_matcher(w) for w in self.alternatives]
        return matchers[0] if len(matchers) == 1 else Any(tuple(matchers))


@dataclass
class ParsedQuery:
    units: list[Unit] = field(default_factory=list)

    def matcher(self, *, any_word: bool = False):
        units = self.units
        if any_word:
            units = [u for u in units if not u.is_weak]
            if not units:
                return None
            return Any(tuple(u.matcher() for u in units))
        return All(tuple(u.matcher() for u in units))

    @property
    def can_fall_back(self) -> bool:
        """The OR of the meaningful words differs from the AND of all words."""
        return len(self.units) > 1 and any(not u.is_weak for u in self.units)

    @property
    def highlight_words(self) -> list[str]:
        words = {w for u in self.units for w in u.alternatives}
        words |= {piece for w in list(words) for piece in text.tokens(w)}
        return sorted(words, key=lambda w: (-len(w), w))


def clean_query(raw: str) -> str:
    """Control characters (a NUL byte among them) become spaces; runs of blanks collapse."""
    return " ".join(_CONTROL_RE.sub(" ", raw or "").split())


def parse(query: str, synonym_groups: list[list[str]]) -> ParsedQuery:
    """Words of ``query``; a word or phrase named in a synonym group stands
    for the whole group."""
    normalized = text.normalize(query)
    group_of = {}
    for group in synonym_groups:
        for word in group:
            group_of.setdefault(word, group)
    units: list[Unit] = []
    pieces = [normalized]
    if group_of:
        pattern = "|".join(re.escape(w) for w in sorted(group_of, key=len, reverse=True))
        pieces = re.split(f"({pattern})", normalized)
    for index, piece in enumerate(pieces):
        if index % 2 == 1:  # a synonym found by the split
            units.append(Unit(piece, list(group_of[piece])))
            continue
        for word in text.tokens(piece):
            units.append(Unit(word, list(group_of.get(word, [word]))))
    seen = set()
    unique_units = []
    for unit in units:
        if unit.word not in seen:
            seen.add(unit.word)
            unique_units.append(unit)
    return ParsedQuery(unique_units)
