"""The shipped vocabulary (``experts/data/matching_vocabulary.json``): the concepts a
county association's needs come in, each with its discipline and the everyday words,
symptoms and wishes people write for it. ``seed_demo`` and the evaluation install it."""

import pytest

from experts.matching.disciplines import infer_disciplines
from experts.matching.evaluation import VOCABULARY_PATH, load_json, vocabulary_install
from experts.matching.index import general_specificity
from experts.models import Discipline, Keyword
from experts.services.needs import keyword_suggestions
from kexie.platform.lib.text import normalize

pytestmark = pytest.mark.django_db

SHIPPED = load_json(VOCABULARY_PATH)["vocabulary"]


def terms(entry: dict) -> list[str]:
    return [entry["name"], *entry["synonyms"]]


def test_every_entry_names_a_discipline_of_the_portal_and_a_term_belongs_to_one_entry():
    codes = set(Discipline.objects.values_list("code", flat=True))
    assert all(entry["discipline"] in codes for entry in SHIPPED)
    names = [entry["name"] for entry in SHIPPED]
    assert len(names) == len(set(names))
    owners: dict[str, set[str]] = {}
    for entry in SHIPPED:
        for term in terms(entry):
            owners.setdefault(normalize(term), set()).add(entry["name"])
    assert {term: names for term, names in owners.items() if len(names) > 1} == {}


def test_it_covers_the_trades_a_county_brings_needs_in():
    assert len(SHIPPED) >= 300
    covered = {entry["discipline"] for entry in SHIPPED}
    trades = {
        "210", "220", "230", "240",  # farms, nurseries, livestock, fish ponds
        "320", "330", "350", "360",  # hospitals, public health, pharmacy, TCM
        "430", "450", "460", "470", "480", "510", "520", "530", "535", "540", "550",
        "560", "570", "580", "610", "620", "630", "790", "820", "880",
    }  # fmt: skip
    assert trades <= covered


def test_a_synonym_is_a_telling_word_not_a_common_one():
    # 检测, 包装, 技术, 质量, 设备 would make a narrow entry fire on every need.
    for word in ("检测", "包装", "技术", "质量", "问题", "设备"):
        assert all(word not in entry["synonyms"] for entry in SHIPPED), word
    new = [entry for entry in SHIPPED if entry["name"] not in ORIGINAL_64]
    broad = [t for e in new for t in e["synonyms"] if general_specificity(t) < 0.1]
    assert broad == []


@pytest.mark.parametrize(
    ("text", "entry"),
    [
        ("厂里总闸老是跳，一开大功率设备就断电", "低压配电"),
        ("毛衣穿几次就起球，客户老投诉", "抗起毛起球"),
        ("粽子放几天就变味，想多放些日子", "食品保鲜"),
        ("温室里的菜叶子发黄，不知道缺什么", "作物缺素症"),
        ("鱼塘里的鱼早上浮头", "水质调控"),
        ("拉杆箱的拉杆用不久就松动", "箱包结构"),
        ("冲出来的零件边上毛刺多", "去毛刺"),
    ],
)
def test_everyday_words_find_the_concept_once_installed(text, entry):
    vocabulary_install(SHIPPED)
    assert entry in keyword_suggestions(text)


@pytest.mark.parametrize(
    ("text", "code"),
    [
        ("厂里总闸老是跳", "470"),
        ("毛衣穿几次就起球", "540"),
        ("粽子放几天就变味", "550"),
        ("湖羊的羊羔冬天死得多", "230"),
        ("拉杆箱轮子老坏", "540"),
    ],
)
def test_a_fresh_install_suggests_the_field_from_the_shipped_words(text, code):
    # No vocabulary installed yet: the field picker reads the shipped one.
    assert not Keyword.objects.exists()
    assert infer_disciplines(text)[0][0].code == code


ORIGINAL_64 = {
    "储能系统", "峰谷电价", "需求侧响应", "锂离子电池", "电池热管理", "电池回收", "注塑成型",
    "缩痕", "模具设计", "翘曲变形", "机器视觉", "缺陷检测", "深度学习", "工业机器人",
    "自动化产线", "PLC控制", "光学镀膜", "光学设计", "精密光学加工", "食品保鲜", "杀菌工艺",
    "食品包装", "设施农业", "病虫害防治", "土壤改良", "水产养殖", "水质调控", "鱼病防治",
    "印染工艺", "功能性面料", "纺织整理", "废水处理", "废气治理", "固废资源化", "电机能效",
    "变频调速", "节能改造", "数字化转型", "制造执行系统", "工业互联网", "防腐涂层", "电镀",
    "表面处理", "焊接工艺", "激光焊接", "焊接变形", "振动控制", "噪声控制", "结构优化",
    "热处理", "失效分析", "粉末冶金", "医疗器械", "药物制剂", "中药提取", "安全生产",
    "粉尘防爆", "危化品管理", "专利布局", "技术标准", "科技项目申报", "汽车电子", "电磁兼容",
    "功能安全",
}  # fmt: skip
