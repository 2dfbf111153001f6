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
  vote for their disciplines, the nearest most, and so does a classifier learned
  from the profiles: the need's nearness to each discipline's centroid (the
  mean vector of its experts' profiles), sharpened into a distribution;
- everyday words (the first version of this module, by the field picker's
  author): a discipline's name and its stem (材料科学 → 材料), a short table of
  everyday words per discipline (养猪 → 畜牧、兽医科学) and, until a vocabulary
  is installed, the shipped one, so a fresh install with no expert yet still
  suggests fields.

Each kind of evidence is a distribution over disciplines; they are mixed, each
in proportion to how much of it there is, into one that sums to 1.
"""

import math
import re
from dataclasses import dataclass, field
from functools import lru_cache

from experts.matching.index import general_specificity
from experts.models import Discipline
from kexie.platform.lib.text import contains_term, normalize, tokens

MAX_TEXT_LENGTH = 5000

# Experts whose profile is nearest a need in meaning that vote, and how fast
# their vote falls with the distance from the nearest (cosine units). Only
# experts above the floor vote; the evidence is full at floor + range.
SEMANTIC_VOTERS = 15
SEMANTIC_TEMPERATURE = 0.04
SEMANTIC_FLOOR = 0.3
SEMANTIC_RANGE = 0.2
# The centroid classifier: how sharply nearness to a discipline's centroid turns into
# belief (cosine units: 0.01 apart is e times the belief), and its share of the
# meaning evidence (the nearest experts' votes have the rest). With it, meaning
# always has an opinion, so it counts in full whenever the bridge is on.
CENTROID_TEMPERATURE = 0.01
CENTROID_SHARE = 0.5
MIN_CENTROID_BELIEF = 0.01
# A word held by this many profiles or more counts in full; by fewer, in proportion
# (one profile's word says little about a whole discipline).
FULL_WORD_SUPPORT = 3
# The mass of word or vocabulary evidence at which it counts in full against meaning.
FULL_EVIDENCE = 1.0
# A discipline's name found in the text counts twice an everyday word, its stem once;
# everyday evidence counts this much per word against the other kinds.
NAME_WEIGHT = 2.0
STEM_WEIGHT = 1.0
EVERYDAY_MASS = 0.5
# A word less telling than this in general Chinese (``general_specificity``: 检测,
# 包装) votes for no discipline.
BROAD_WORD = 0.4
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


# Everyday words that point to a discipline (by code). Words of one character
# count only as a whole word of the segmented text (猪 in 养了猪, not in 猪肉铺的
# 招牌 … nor 核 in 核心).
EVERYDAY_WORDS: dict[str, tuple[str, ...]] = {
    "110": ("数学建模", "优化模型", "运筹"),
    "130": ("力学", "受力", "应力", "振动", "疲劳寿命", "流体", "强度计算"),
    "140": ("物理", "激光", "声学", "光学", "超声"),
    "150": ("化学", "配方", "催化", "合成", "化学分析"),
    "170": ("地质", "气象", "海洋", "地下水"),
    "180": ("生物", "基因", "微生物", "发酵", "细胞", "菌种", "酶"),
    "210": (
        "农业",
        "种植",
        "蔬菜",
        "水稻",
        "小麦",
        "果树",
        "大棚",
        "育种",
        "病虫害",
        "农药",
        "化肥",
        "施肥",
        "土壤",
        "草莓",
        "西瓜",
        "茶叶",
        "农产品",
    ),
    "220": ("林业", "苗木", "造林", "竹子", "花卉"),
    "230": ("养殖", "畜牧", "兽医", "养猪", "生猪", "猪", "牛", "羊", "家禽", "鸡", "饲料"),
    "240": ("水产", "渔业", "鱼", "虾", "蟹", "甲鱼"),
    "310": ("病理", "免疫"),
    "320": ("医院", "临床", "诊断", "手术", "患者", "病人", "康复"),
    "330": ("公共卫生", "疾控", "防疫", "职业病", "消毒"),
    "350": ("药品", "制药", "药物", "药"),
    "360": ("中医", "中药", "针灸", "推拿"),
    "413": ("自动控制", "控制系统", "物联网", "传感器网络"),
    "420": ("测绘", "遥感", "地图", "北斗定位", "无人机航测"),
    "430": (
        "材料",
        "塑料",
        "金属",
        "合金",
        "陶瓷",
        "涂层",
        "高分子",
        "橡胶",
        "玻璃",
        "复合材料",
        "电池",
    ),
    "440": ("采矿", "矿山", "矿石"),
    "450": ("冶炼", "冶金", "钢铁", "铸造", "热处理", "锻造"),
    "460": (
        "机械",
        "机床",
        "模具",
        "零件",
        "零部件",
        "齿轮",
        "轴承",
        "焊接",
        "数控",
        "注塑",
        "机器人",
        "机械手",
        "自动化",
        "生产线",
        "产线",
        "机加工",
        "减速机",
    ),
    "470": ("电机", "电气", "电力", "变压器", "电网", "发电", "配电", "充电桩", "锅炉", "发动机"),
    "480": ("能源", "储能", "节能", "光伏", "太阳能", "风电", "氢能", "能耗", "电费", "用电"),
    "490": ("核电", "核能", "辐射"),
    "510": ("电子", "芯片", "电路", "通信", "5G", "信号", "天线", "电路板", "PCB", "传感器"),
    "520": (
        "软件",
        "计算机",
        "数据",
        "网络",
        "网站",
        "程序",
        "APP",
        "小程序",
        "人工智能",
        "AI",
        "算法",
        "数据库",
        "信息化",
        "数字化",
        "机器视觉",
        "图像识别",
    ),
    "530": ("化工", "涂料", "油漆", "粘合剂", "胶水", "反应釜", "提纯"),
    "535": ("包装", "印刷", "家具", "工业设计", "产品设计"),
    "540": ("纺织", "面料", "服装", "纱线", "印染", "针织", "羽绒", "布料", "箱包"),
    "550": ("食品", "保鲜", "饮料", "烘焙", "口感", "保质期", "食品安全", "调味"),
    "560": ("建筑", "土木", "房屋", "桥梁", "混凝土", "装修", "施工", "钢结构"),
    "570": ("水利", "河道", "灌溉", "防洪", "水库", "排涝"),
    "580": ("交通", "运输", "物流", "汽车", "车辆", "船舶", "道路"),
    "590": ("航空", "航天", "飞机", "无人机", "卫星"),
    "610": (
        "环保",
        "污水",
        "废水",
        "废气",
        "污染",
        "排放",
        "固废",
        "垃圾",
        "回收利用",
        "碳排放",
        "节水",
    ),
    "620": ("安全生产", "消防", "防火", "防爆", "隐患", "事故"),
    "630": ("企业管理", "质量管理", "精益", "成本核算", "营销", "供应链", "标准化"),
    "790": ("经济", "市场", "金融", "投资", "贸易", "电商"),
    "820": ("法律", "合同", "知识产权", "专利", "商标", "诉讼"),
    "840": ("社区", "养老", "社会调查"),
    "880": ("教育", "培训", "教学", "学校", "课程"),
    "890": ("体育", "运动", "健身"),
    "910": ("统计", "数据分析"),
}

# Endings that make a discipline's name formal: 材料科学 → 材料, 机械工程 → 机械.
_NAME_ENDINGS = ("科学技术", "工程技术", "医学", "科学", "技术", "工程", "学")
_NAME_SPLIT_RE = re.compile(r"[、与及]")
# Parts of names too general to point anywhere by themselves.
_VAGUE_STEMS = frozenset(
    {
        "信息",
        "系统",
        "工程",
        "技术",
        "基础",
        "预防",
        "特种",
        "安全",
        "社会",
        "文化",
        "核科学",
        "管理",
    }
)


def _stems(name: str) -> list[str]:
    """The plain words inside a discipline's name, two characters or more."""
    stems = []
    for part in _NAME_SPLIT_RE.split(name):
        for ending in _NAME_ENDINGS:
            if part.endswith(ending) and len(part) - len(ending) >= 2:
                part = part[: -len(ending)]
                break
        if 2 <= len(part) <= 4 and part != name and part not in _VAGUE_STEMS:
            stems.append(part)
    return stems


@lru_cache(maxsize=1)
def _shipped_vocabulary() -> tuple[tuple[str, str], ...]:
    """(term, discipline code) for every name and synonym of the shipped vocabulary."""
    from experts.matching.evaluation import VOCABULARY_PATH, load_json

    pairs = []
    for entry in load_json(VOCABULARY_PATH).get("vocabulary", []):
        code = entry.get("discipline")
        if not code:
            continue
        for term in [entry["name"], *entry.get("synonyms", [])]:
            pairs.append((normalize(term), code))
    return tuple(pairs)


@lru_cache(maxsize=2)
def _everyday_terms(with_shipped: bool) -> tuple[tuple[str, str, str], ...]:
    """(word, discipline code, source) of the table and, until a vocabulary is
    installed, of the shipped vocabulary (its telling terms: one broad word such as
    「包装」 votes for no field); a word in both counts in each."""
    terms = [(normalize(w), code, "table") for code, words in EVERYDAY_WORDS.items() for w in words]
    if with_shipped:
        terms += [
            (t, code, "vocabulary")
            for t, code in _shipped_vocabulary()
            if len(t) >= 2 and general_specificity(t) >= BROAD_WORD
        ]
    return tuple(terms)


def everyday_evidence(index, text: str) -> tuple[dict[int, float], float]:
    """Votes of the everyday words, the shipped vocabulary and the disciplines'
    names and stems found in the (normalised) text, and their mass. A word of one
    character counts only as a whole word of the segmented text (猪 in 养了猪, not
    核 in 核心)."""
    by_code = {code: pk for pk, (code, _name) in index.field_names.items()}
    installed = any(entry.approved for entry in index.vocabulary.values())
    words = None
    votes: dict[int, float] = {}
    counted: set[tuple[str, str, str]] = set()
    for term, code, source in _everyday_terms(not installed):
        if code not in by_code or (term, code, source) in counted:
            continue
        if len(term) == 1:
            if words is None:
                words = frozenset(tokens(text))
            found = term in words
        else:
            found = contains_term(text, term)
        if found:
            counted.add((term, code, source))
            votes[by_code[code]] = votes.get(by_code[code], 0.0) + 1.0
    for pk, (_code, name) in index.field_names.items():
        if normalize(name) in text:
            votes[pk] = votes.get(pk, 0.0) + NAME_WEIGHT
        for stem in _stems(name):
            if normalize(stem) in text:
                votes[pk] = votes.get(pk, 0.0) + STEM_WEIGHT
    return votes, sum(votes.values()) * EVERYDAY_MASS


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
        if not postings or index.is_common(term) or general_specificity(term) < BROAD_WORD:
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
    """Votes of the vocabulary entries found (strength = how telling)."""
    votes: dict[int, float] = {}
    mass = 0.0
    for pk, strength in sorted(entries.items()):
        entry = index.vocabulary.get(pk)
        if entry is not None and entry.approved and entry.discipline_id is not None:
            votes[entry.discipline_id] = votes.get(entry.discipline_id, 0.0) + strength
            mass += strength
    return votes, mass


def centroid_evidence(index, vector) -> dict[int, float]:
    """The need's nearness to each discipline's centroid as a distribution (softmax),
    disciplines under ``MIN_CENTROID_BELIEF`` left out; {} without the bridge."""
    pks, centroids = index.discipline_centroids()
    if vector is None or centroids is None or not pks:
        return {}
    import numpy as np

    from experts.matching import semantic

    nearness = semantic.dot(centroids, vector).astype(np.float64)
    weights = np.exp((nearness - nearness.max()) / CENTROID_TEMPERATURE)
    weights /= weights.sum()
    return {
        pk: float(weight)
        for pk, weight in zip(pks, weights.tolist(), strict=True)
        if weight >= MIN_CENTROID_BELIEF
    }


def meaning_evidence(index, similarities, vector=None) -> tuple[dict[int, float], float]:
    """Votes of the experts nearest in meaning (``similarities``: one per document)
    and, given the need's ``vector``, of the discipline centroids; and their mass."""
    votes: dict[int, float] = {}
    if similarities is None or not len(similarities):
        return votes, 0.0
    neighbours, mass = _neighbour_votes(index, similarities)
    centroids = centroid_evidence(index, vector)
    if not centroids:
        return neighbours, mass
    for pk, share in _normalised(neighbours).items():
        votes[pk] = (1 - CENTROID_SHARE) * share
    for pk, share in centroids.items():
        votes[pk] = votes.get(pk, 0.0) + CENTROID_SHARE * share
    return votes, 1.0


def _neighbour_votes(index, similarities) -> tuple[dict[int, float], float]:
    votes: dict[int, float] = {}
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


def discipline_beliefs(index, *, terms, entries, text, similarities, vector=None) -> Beliefs:
    """The mixture of the kinds of evidence, each in proportion to its mass."""
    words, word_mass = word_evidence(index, terms)
    vocabulary, vocabulary_mass = vocabulary_evidence(index, entries, text)
    meaning, meaning_mass = meaning_evidence(index, similarities, vector)
    everyday, everyday_mass = everyday_evidence(index, text)
    parts = [
        (_normalised(words), min(1.0, word_mass / FULL_EVIDENCE)),
        (_normalised(vocabulary), min(1.0, vocabulary_mass / FULL_EVIDENCE)),
        (_normalised(meaning), meaning_mass),
        (_normalised(everyday), min(1.0, everyday_mass / FULL_EVIDENCE)),
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
    belief in 0..1 (the beliefs of all disciplines sum to 1; ties go to the lower
    code). For the field picker and the staff review; the matching uses the same
    beliefs. Only the first ``MAX_TEXT_LENGTH`` characters are read. No query once
    the process's index is built."""
    from experts.matching.engine import build_query
    from experts.matching.index import current_index

    text = (text or "")[:MAX_TEXT_LENGTH]
    if not text.strip() or limit <= 0:
        return []
    index = current_index()
    query = build_query(index, text=text)
    if query.confidence <= 0:
        return []
    code = {pk: code for pk, (code, _name) in index.field_names.items()}
    ranked = sorted(
        (pair for pair in query.beliefs.items() if pair[0] in index.disciplines),
        key=lambda pair: (-round(pair[1], 4), code[pair[0]]),
    )
    return [
        (index.disciplines[pk], round(belief, 4))
        for pk, belief in ranked[:limit]
        if belief >= MIN_BELIEF
    ]
