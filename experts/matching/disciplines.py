"""Which disciplines a text in plain words belongs to.

People describe their problem as "注塑件表面有缩水" or "夜里充电白天放电", not as
"460 机械工程". ``infer_disciplines`` turns such text into the coded national
list (GB/T 13745), so the discipline picker can suggest the fields and nobody
has to know the list by heart. A first, simple version: three kinds of
evidence, each a word found in the text.

- the vocabulary (``Keyword`` rows with a discipline, and the shipped
  ``experts/data/matching_vocabulary.json``, so a fresh install suggests too):
  a keyword's name or synonym counts for its discipline;
- the discipline's own name, and its stem (材料科学 → 材料);
- a short table of everyday words per discipline (养猪 → 畜牧、兽医科学).

Scores are sums of the evidence; higher is likelier, and they are not
comparable between texts. Only suggestions: a person chooses the fields.
"""

import re
from functools import lru_cache

from experts.matching.evaluation import VOCABULARY_PATH, load_json
from experts.models import Discipline, Keyword
from kexie.platform.lib.text import normalize, tokens

MAX_TEXT_LENGTH = 5000

# How much each kind of evidence counts.
NAME_WEIGHT = 2.0
STEM_WEIGHT = 1.0
VOCABULARY_WEIGHT = 1.0
EVERYDAY_WEIGHT = 1.0

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
    pairs = []
    for entry in load_json(VOCABULARY_PATH).get("vocabulary", []):
        code = entry.get("discipline")
        if not code:
            continue
        for term in [entry["name"], *entry.get("synonyms", [])]:
            pairs.append((normalize(term), code))
    return tuple(pairs)


def _vocabulary() -> dict[str, str]:
    """Every vocabulary term to its discipline code; the database's entries win."""
    terms = dict(_shipped_vocabulary())
    rows = Keyword.objects.filter(is_approved=True, discipline__isnull=False).values_list(
        "name", "synonyms", "discipline__code"
    )
    for name, synonyms, code in rows:
        for term in Keyword(name=name, synonyms=synonyms).terms():
            terms[normalize(term)] = code
    return terms


def _found(word: str, text: str, words: frozenset[str]) -> bool:
    word = normalize(word)
    if len(word) == 1:
        return word in words
    return word in text


def infer_disciplines(text: str, *, limit: int = 5) -> list[tuple[Discipline, float]]:
    """The disciplines ``text`` most likely belongs to, likeliest first, with a score.

    Two queries (the vocabulary and the disciplines). Ties go to the lower code.
    """
    text = normalize((text or "")[:MAX_TEXT_LENGTH])
    if not text.strip() or limit <= 0:
        return []
    words = frozenset(tokens(text))
    scores: dict[str, float] = {}

    def add(code: str, weight: float) -> None:
        scores[code] = scores.get(code, 0.0) + weight

    counted_terms: set[str] = set()
    for term, code in _vocabulary().items():
        if len(term) >= 2 and term in text and term not in counted_terms:
            counted_terms.add(term)
            add(code, VOCABULARY_WEIGHT)
    for code, everyday in EVERYDAY_WORDS.items():
        for word in everyday:
            if _found(word, text, words):
                add(code, EVERYDAY_WEIGHT)
    disciplines = Discipline.objects.in_bulk(field_name="code")
    for code, discipline in disciplines.items():
        if normalize(discipline.name) in text:
            add(code, NAME_WEIGHT)
        for stem in _stems(discipline.name):
            if normalize(stem) in text:
                add(code, STEM_WEIGHT)
    ranked = sorted(
        (code for code in scores if code in disciplines), key=lambda code: (-scores[code], code)
    )
    return [(disciplines[code], scores[code]) for code in ranked[:limit]]
