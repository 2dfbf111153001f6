import pytest

from experts.models import Keyword, TechNeed
from kexie.portal.search import services
from members.models import Society
from outreach.models import Event
from tests.experts.factories import AchievementFactory, ExpertFactory, NeedFactory
from tests.factories import BranchFactory, SocietyFactory
from tests.outreach.factories import EventFactory, VenueFactory

PRIVATE_PHONE = "13912345678"
PRIVATE_EMAIL = "secret.expert@example.cn"
CONFIDENTIAL = "保密配方钴酸镍七号"


@pytest.fixture
def corpus(db):
    """A small public world, and some private things that must stay unfound."""
    venue = VenueFactory(name="中国航天科普馆", description="展示火箭与卫星的航天科普场馆。")
    records = {
        "space_museum": venue,
        "lecture": EventFactory(
            title="5G与智慧生活科普讲座",
            summary="讲讲5G基站如何改变生活",
            venue=venue,
        ),
        "printing": EventFactory(
            title="3D打印周末课堂", summary="孩子们动手用3D打印机做模型", venue=venue
        ),
        "draft": EventFactory(title="未发布的草稿活动机器人", status=Event.Status.DRAFT),
        "society": SocietyFactory(name="平湖市机械工程学会", description="推动企业数字化转型。"),
        "dissolved": SocietyFactory(name="已注销的养蜂学会", status=Society.Status.DISSOLVED),
        "branch": BranchFactory(name="乍浦镇科协", description="组织镇里的科学普及活动。"),
        "expert": ExpertFactory(
            name="李储能",
            biography="长期研究磷酸铁锂电池储能系统。",
            contact_phone=PRIVATE_PHONE,
            contact_email=PRIVATE_EMAIL,
        ),
        "private_expert": ExpertFactory(name="王隐士", biography="不公开的专家", is_public=False),
        "need": NeedFactory(
            title="储能电池循环寿命提升",
            summary="需要提升储能电池的循环寿命。",
            details=f"保密：{CONFIDENTIAL}",
        ),
        "draft_need": NeedFactory(title="草稿需求光刻胶", summary="草稿阶段的光刻胶需求"),
        "achievement": AchievementFactory(
            title="一种电池热管理方法", summary="低成本的电池热管理，适合院士工作站转化。"
        ),
    }
    TechNeed.objects.filter(pk=records["need"].pk).update(status=TechNeed.Status.PUBLISHED)
    # The shared vocabulary (one for the search and the matching).
    Keyword.objects.create(name="科普", synonyms="科学普及")
    Keyword.objects.create(name="院士", synonyms="专家")
    services.index_rebuild()
    return records
