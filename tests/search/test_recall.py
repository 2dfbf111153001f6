"""Recall against plain substring matching, over a fixed corpus and query list."""

import pytest

from kexie.platform.lib import text
from kexie.portal.search import selectors, services, terms
from kexie.portal.search.indexers import DocumentData

pytestmark = pytest.mark.django_db

CORPUS = [
    ("中国航天科普馆开放日", "走进航天科普馆，了解火箭发射与卫星通信。"),
    ("磷酸铁锂电池储能系统", "峰谷电价下用储能电池降低企业电费。"),
    ("企业数字化转型沙龙", "智能制造与工业互联网助力中小企业数字化。"),
    ("3D打印周末课堂", "孩子们用3D打印机制作小模型。"),
    ("5G基站与智慧生活", "讲解5G网络如何改变城市生活。"),
    ("老年人防诈骗科普讲座", "银龄赋能：教老年人识别电信诈骗。"),
    ("农民共富技术培训", "设施农业与新品种西瓜种植技术。"),
    ("青少年科技创新大赛", "中小学生展示机器人和编程作品。"),
    ("STEAM课程进校园", "科学、技术、工程、艺术和数学融合课程。"),
    ("科普e站建设经验交流", "各镇街道科普e站分享活动组织经验。"),
    ("院士工作站揭牌", "院士团队与企业合作攻关光学镀膜技术。"),
    ("博士创新站对接会", "博士专家深入企业解决技术难题。"),
    ("锂电池热失控防护", "电池包热管理与消防安全技术研究。"),
    ("光伏组件回收利用", "退役光伏板中硅和银的回收技术。"),
    ("食品加工检验检测需求", "需要快速检测农药残留的方法。"),
    ("汽车零部件精密加工", "数控机床加工精度提升与质量控制。"),
    ("健康讲座：高血压防治", "医学会专家讲解高血压的日常管理。"),
    ("安全生产知识竞赛", "面向产业工人的安全生产知识竞赛。"),
    ("人工智能科普展", "展示人工智能在医疗与交通中的应用。"),
    ("垃圾分类小课堂", "社区居民学习垃圾分类与资源回收。"),
    ("乍浦镇科学普及活动周", "港口科技与海洋生态保护科普。"),
    ("新能源汽车充电技术", "快充技术与电池寿命之间的平衡。"),
    ("纺织印染废水处理", "印染企业废水处理与节能减排技术。"),
    ("化工园区安全监测", "在线监测系统保障化工生产安全。"),
    ("无人机植保应用", "无人机喷洒农药提高农业生产效率。"),
    ("平湖西瓜灯文化与科技", "传统西瓜灯制作工艺中的科学原理。"),
    ("天文观测夜", "用望远镜观察月球和木星。"),
    ("机器人编程挑战赛", "学生编写程序控制机器人完成任务。"),
    ("电子信息产业人才引进", "引进芯片设计与集成电路方面的人才。"),
    ("海智基地项目路演", "海外专家带来新材料与生物医药项目。"),
    ("智能制造示范车间参观", "工业机器人与数字孪生技术应用。"),
    ("储能电站安全技术规范", "储能电站的设计、运行和消防要求。"),
    ("科技馆暑期研学", "科技馆里的物理实验与互动展项。"),
    ("法律服务进企业", "知识产权保护与专利申请指导。"),
    ("全域秀美乡村规划", "乡村环境整治与生态农业规划技术。"),
    ("新材料在光学中的应用", "光学镀膜新材料提升镜头透光率。"),
]

QUERIES = [
    # one character
    "电",
    "光",
    "馆",
    "站",
    "学",
    "农",
    # two characters
    "电池",
    "航天",
    "科普",
    "技术",
    "企业",
    "机器",
    "安全",
    "西瓜",
    "储能",
    "检测",
    "镀膜",
    "老年",
    "课堂",
    "回收",
    # mixed
    "5G",
    "3D打印",
    "STEAM",
    "科普e站",
    "5g基站",
    # longer words
    "数字化",
    "锂电池",
    "人工智能",
    "智能制造",
    "院士工作站",
    "新能源汽车",
    "安全生产",
    "热管理",
    "集成电路",
    "垃圾分类",
]


def _substring_matches(query: str) -> set[int]:
    needle = text.normalize(query)
    return {
        pk for pk, (title, body) in enumerate(CORPUS, 1) if needle in text.normalize(title + body)
    }


def _found(query: str) -> set[int]:
    parsed = terms.parse(query, [])
    documents = selectors._matching(parsed, any_word=False)
    return set(documents.values_list("object_id", flat=True))


def test_recall_against_substring_matching_is_at_least_99_percent():
    services.documents_write(
        kind="event",
        items=[
            (pk, DocumentData(title=title, body=body, url=f"/events/{pk}/"))
            for pk, (title, body) in enumerate(CORPUS, 1)
        ],
    )
    assert len(QUERIES) >= 30
    expected_total = found_total = 0
    missed = {}
    for query in QUERIES:
        expected = _substring_matches(query)
        found = _found(query) & expected
        expected_total += len(expected)
        found_total += len(found)
        if expected - found:
            missed[query] = expected - found
    assert expected_total > 80
    assert found_total / expected_total >= 0.99, missed
