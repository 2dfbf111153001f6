"""Chinese text segmentation, shared by keyword extraction, matching and search.

Chinese has no spaces between words, so every text feature of the portal goes
through here. Segmentation uses rjieba (the Rust port of jieba, about 24 times
faster); keyword weights use the IDF table that ships with jieba, so the two
agree on what a word is and no model is loaded from outside.
"""

import re
import unicodedata
from functools import lru_cache
from importlib import resources

import rjieba

# Words of the association's world that the general dictionary splits apart.
DOMAIN_WORDS = [
    "科普e站",
    "科协帮",
    "科技馆",
    "航天科普馆",
    "院士工作站",
    "博士创新站",
    "海智基地",
    "学会服务站",
    "三长制",
    "磷酸铁锂",
    "储能",
    "峰谷电价",
    "数字化转型",
    "智能制造",
    "STEAM",
]

_WORD_RE = re.compile(r"[\w]", re.UNICODE)
_CJK_RE = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]")

_STOPWORDS_TEXT = """
    的 了 和 与 及 或 在 是 为 对 把 被 让 从 到 向 以 于 就 都 也 还 又 而 且 并 但 等
    我 我们 你 你们 他 她 它 他们 这 那 这个 那个 这些 那些 一个 一些 什么 怎么 如何 哪些
    有 没有 能 能够 可以 需要 希望 想 要 会 将 已 已经 正在 进行 开展 通过 相关 方面 问题
    目前 现在 比较 非常 很 较 更 最 不 没 无 上 下 中 内 外 后 前 时 大 小 多 少 个 些
    请 帮 帮忙 一下 一种 方法 情况 公司 企业 我司"""
# English function words, for a need or a profile written in the portal's second
# language ("the", "at" and "after" were suggested as keywords). Not "it", "us" or
# "can": IT运维, US standards and the CAN bus are words of their own.
_ENGLISH_STOPWORDS_TEXT = """
    a an the and or nor of in on at to for from by with without into onto over under
    after before about as is are was were be been being am this that these those its
    our we you your they their them he she his her i my me could should would will
    may might must shall need needs want wants help please not no so than then there
    here which who whom what when where why how also very more most some any all each
    other such only just do does did done have has had if but because while per via
    up down out off get got make made use used using"""
STOPWORDS = frozenset(_STOPWORDS_TEXT.split()) | frozenset(_ENGLISH_STOPWORDS_TEXT.split())


@lru_cache(maxsize=1)
def _dictionary_ready() -> bool:
    for word in DOMAIN_WORDS:
        rjieba.add_word(word, None, None)
    return True


def normalize(text: str) -> str:
    """Full-width to half-width, lower case: 'ＡＩ５Ｇ' and 'ai5g' are one word."""
    return unicodedata.normalize("NFKC", text or "").lower()


def _is_latin(char: str) -> bool:
    return char.isascii() and char.isalnum()


def contains_term(text: str, term: str) -> bool:
    """``term`` occurs in ``text`` (both normalised) as a word.

    Chinese has no spaces, so a Chinese term is found anywhere (注塑 in 注塑件); a
    term that begins or ends with a Latin letter or digit is not found inside a
    longer Latin word: RTO is not in "cartons", ISO not in "isolation", LED not in
    "controlled". It still is next to Chinese (led灯, 用ai模型)."""
    if not term:
        return False
    at = text.find(term)
    while at >= 0:
        end = at + len(term)
        joined_before = at > 0 and _is_latin(term[0]) and _is_latin(text[at - 1])
        joined_after = end < len(text) and _is_latin(term[-1]) and _is_latin(text[end])
        if not (joined_before or joined_after):
            return True
        at = text.find(term, at + 1)
    return False


def _is_word(token: str) -> bool:
    return bool(token.strip()) and bool(_WORD_RE.search(token))


def tokens(text: str) -> list[str]:
    """Words of ``text`` in reading order (jieba's precise mode), without punctuation."""
    _dictionary_ready()
    return [t for t in rjieba.cut(normalize(text)) if _is_word(t)]


def search_tokens(text: str) -> list[str]:
    """Words and the sub-words inside them (jieba's search mode), for indexing:
    中国航天科普馆 → 中国, 航天, 科普, 科普馆, 中国航天 …"""
    _dictionary_ready()
    return [t for t in rjieba.cut_for_search(normalize(text)) if _is_word(t)]


# A count, an age or an order in Chinese numerals, with at most a measure word after it
# (十余年, 三十多, 第一, 两次, 半年, 多家): a need and a biography share such words
# without sharing a speciality. 余热 and 数字 are words of their own, not counts.
_COUNTING_RE = re.compile(
    r"^[零〇一二两三四五六七八九十百千万亿余多几数半第]+[年月天日周个次台套件倍成号岁名人家项]?$"
)


def is_counting_word(word: str) -> bool:
    return bool(_COUNTING_RE.match(word))


def is_content_term(term: str) -> bool:
    """A token that carries meaning: no stop word, single CJK character, number or count."""
    return (
        term not in STOPWORDS
        and not (len(term) == 1 and _CJK_RE.match(term))
        and not term.isdigit()
        and not is_counting_word(term)
    )


def content_words(text: str) -> list[str]:
    """Words that carry meaning (``is_content_term``), in reading order."""
    return [t for t in tokens(text) if is_content_term(t)]


_NUMBER_RE = re.compile(r"^[\d.,，%％+\-×*/~～℃°]+$")
# Units and amounts that the segmenter returns as words.
_UNITS_TEXT = """
    mm cm km kg mg ml mpa kpa pa kw kwh kv ma mah hz rpm ppm db
    毫米 厘米 米 公里 千米 克 千克 公斤 吨 斤 毫升 升 立方 平方 平米 度 千瓦 瓦 伏 安
    元 万元 亿元 万 亿 千 百 个 台 套 件 批 次 天 小时 分钟 秒 年 月 周 倍 成 号"""
UNITS = frozenset(_UNITS_TEXT.split())
# Words about the request itself rather than its subject: a need says its details are
# confidential, asks to talk them over or to be sent a plan; none of that names a speciality.
_REQUEST_WORDS_TEXT = """
    保密 机密 细节 详情 详细 具体 详谈 面谈 面议 洽谈 商谈 沟通 对接 联系 联系人 电话 手机 微信
    邮箱 附件 详见 参见 资料 文件 说明 描述 如下 以下 上述 具体情况 详细情况 解决方案 方案
    建议 意见 帮助 支持 指导 服务 合作 咨询 费用 预算 报价 价格 时间 尽快 尽早 越快越好
    欢迎 感谢 谢谢"""
REQUEST_WORDS = frozenset(_REQUEST_WORDS_TEXT.split())


def is_junk_keyword(word: str) -> bool:
    """A word never worth suggesting as a keyword: a number or an amount with its unit
    (50, 3.5mm, 12万元), a count in Chinese numerals (十余年), a unit, a single letter
    or character."""
    word = normalize(word).strip()
    if len(word) < 2 or word in UNITS or _NUMBER_RE.match(word) or is_counting_word(word):
        return True
    return any(ch.isdigit() for ch in word) and word.lstrip("0123456789.") in UNITS


def is_unsuggestible_keyword(word: str) -> bool:
    """Junk, or a word about the request itself (保密, 细节, 面谈): never suggested from
    a need's text, though staff may still choose such a word themselves."""
    return is_junk_keyword(word) or normalize(word).strip() in REQUEST_WORDS


@lru_cache(maxsize=1)
def _idf() -> tuple[dict[str, float], float]:
    table: dict[str, float] = {}
    # Read the file directly: importing jieba.analyse would build its own
    # extractor and leave this same file open.
    source = resources.files("jieba").joinpath("analyse", "idf.txt")
    with source.open(encoding="utf-8") as lines:
        for line in lines:
            word, _, weight = line.rstrip().rpartition(" ")
            if word:
                table[word] = float(weight)
    median = sorted(table.values())[len(table) // 2]
    return table, median


def idf(word: str) -> float:
    table, median = _idf()
    return table.get(word, median)


def keywords(text: str, *, limit: int = 8) -> list[str]:
    """The words that best characterise ``text`` (TF-IDF against jieba's table).

    Only suggestions: a person confirms them before they count.
    """
    counts: dict[str, int] = {}
    for word in content_words(text):
        counts[word] = counts.get(word, 0) + 1
    scored = sorted(counts, key=lambda w: (-counts[w] * idf(w), w))
    return scored[:limit]
