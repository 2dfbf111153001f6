"""One world of records for the sweeps: every kind of object a URL can name,
once for the cast's own tenant and once for another tenant.

``sweep_world`` is a dict, built once per test module (``tests.worlds``: each
test runs in a savepoint of it, with a deep copy); ``client_for(role)`` gives a
test client for each of the six roles the sweeps request every URL as, logged
in as the world's own cast. ``build_sweep_world`` builds it afresh, for a test
that needs it committed (the production smoke test).
"""

import functools
from datetime import timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.test.utils import override_settings
from django.utils import timezone

from experts.models import TechNeed
from experts.services import needs, responses
from experts.services.applications import application_submit
from experts.services.catalogue import achievement_interest_create
from kexie.platform.accounts.models import User
from tests.experts.conftest import advance_need
from tests.experts.factories import (
    AchievementFactory,
    EnterpriseFactory,
    ExpertFactory,
    KeywordFactory,
    NeedFactory,
    WorkstationFactory,
    discipline,
)
from tests.factories import (
    BranchFactory,
    SocietyFactory,
    TownFactory,
    UserFactory,
)
from tests.members.factories import ContestProjectFactory, HonorFactory
from tests.worlds import cast_users, copy_of, shared_world

S = TechNeed.Status
ROLES = ("anonymous", "public", "enterprise", "expert", "manager", "staff")
PDF = b"%PDF-1.7\n1 0 obj\n<< /Type /Catalog >>\nendobj\ntrailer\n<<>>\n%%EOF\n"


@pytest.fixture(autouse=True)
def _sweep_settings(settings, tmp_path):
    # PBKDF2 costs a quarter of a second per user; the sweeps log in with force_login.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    settings.PRIVATE_MEDIA_ROOT = tmp_path / "private-media"
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.SITE_URL = "https://kexie.test"


def _outreach_records(manager_branch, manager_user, staff_user):
    from outreach.models import Event
    from outreach.services.registrations import registration_create
    from outreach.services.speakers import lecture_request_create
    from tests.outreach.factories import (
        AudienceFactory,
        CampaignFactory,
        EventFactory,
        LectureTopicFactory,
        SpeakerTeamFactory,
        VenueFactory,
    )

    soon = timezone.now() + timedelta(days=7)
    campaign = CampaignFactory(name="科普万家")
    venue = VenueFactory(name="平湖市科技馆")
    other_branch = BranchFactory(name="新埭镇科协", town=TownFactory(name="新埭镇"))
    own_event = EventFactory(
        title="当湖街道亲子科学课",
        branch=manager_branch,
        campaign=campaign,
        venue=venue,
        starts_at=soon,
        ends_at=soon + timedelta(hours=2),
    )
    other_event = EventFactory(
        title="新埭镇农技讲座",
        branch=other_branch,
        starts_at=soon,
        ends_at=soon + timedelta(hours=2),
    )
    other_draft_event = EventFactory(
        title="新埭镇筹备中的活动",
        branch=other_branch,
        status=Event.Status.DRAFT,
        starts_at=soon,
        ends_at=soon + timedelta(hours=2),
    )
    own_registration = registration_create(
        event=own_event, name="王家长", phone="13900001111", party_size=2
    )
    other_registration = registration_create(
        event=other_event, name="陈农户", phone="13900002222", party_size=1
    )
    own_team = SpeakerTeamFactory(name="当湖博士科普团", branch=manager_branch)
    other_team = SpeakerTeamFactory(name="老科学家演讲团", branch=other_branch)
    requests = []
    for team in (own_team, other_team):
        topic = LectureTopicFactory(team=team, title=f"{team.name}的讲座")
        requests.append(
            lecture_request_create(
                team=team,
                topic=topic,
                organisation="新仓镇中心小学",
                town=TownFactory(name="新仓镇"),
                contact_name="李老师",
                contact_phone="13955556666",
                preferred_date=(soon + timedelta(days=20)).date(),
                audience=AudienceFactory(),
                expected_attendance=120,
            )
        )
    return {
        "campaign": campaign,
        "venue": venue,
        "other_branch": other_branch,
        "own_event": own_event,
        "other_event": other_event,
        "other_draft_event": other_draft_event,
        "own_registration": own_registration,
        "other_registration": other_registration,
        "own_team": own_team,
        "other_team": other_team,
        "own_lecture_request": requests[0],
        "other_lecture_request": requests[1],
    }


def _experts_records(
    *, enterprise, other_enterprise, expert, other_expert, advance, materials, enterprise_user
):
    other_owner = other_enterprise.users.first()

    def need(owner_enterprise):
        return NeedFactory(enterprise=owner_enterprise, fields=[materials])

    matched = advance(need(enterprise), S.MATCHED, owner=enterprise_user, expert=expert)
    response = responses.response_create(
        need=matched, expert=expert, by=expert.user, approach="先做失效分析", duration="1个月"
    )
    attachment = needs.need_attachment_add(
        need=matched, by=enterprise_user, upload=SimpleUploadedFile("图纸.pdf", PDF)
    )
    engaged = advance(need(enterprise), S.IN_SERVICE, owner=enterprise_user, expert=expert)
    rated = advance(need(enterprise), S.RATED, owner=enterprise_user, expert=expert)
    draft = need(enterprise)

    other_matched = advance(
        need(other_enterprise), S.MATCHED, owner=other_owner, expert=other_expert
    )
    other_response = responses.response_create(
        need=other_matched,
        expert=other_expert,
        by=other_expert.user,
        approach="另一方案",
        duration="2个月",
    )
    other_attachment = needs.need_attachment_add(
        need=other_matched, by=other_owner, upload=SimpleUploadedFile("机密.pdf", PDF)
    )
    other_engaged = advance(
        need(other_enterprise), S.IN_SERVICE, owner=other_owner, expert=other_expert
    )
    other_rated = advance(need(other_enterprise), S.RATED, owner=other_owner, expert=other_expert)
    other_draft = need(other_enterprise)

    achievement = AchievementFactory()
    interest = achievement_interest_create(
        achievement=achievement,
        enterprise=other_enterprise,
        by=other_owner,
        message="想了解许可费用",
    )
    applicant = UserFactory(name="申请入库的专家")
    application = application_submit(
        user=applicant,
        name="申请入库的专家",
        title="engineer",
        organisation="嘉兴学院",
        region="zhejiang",
        fields=[materials],
        keywords=["注塑"],
        biography="从事模具设计。",
    )
    return {
        "application": application,
        "matched": matched,
        "response": response,
        "attachment": attachment,
        "engaged": engaged,
        "rated": rated,
        "draft": draft,
        "invitation": matched.invitations.get(expert=expert),
        "other_matched": other_matched,
        "other_response": other_response,
        "other_attachment": other_attachment,
        "other_engaged": other_engaged,
        "other_rated": other_rated,
        "other_draft": other_draft,
        "other_invitation": other_matched.invitations.get(expert=other_expert),
        "expert": expert,
        "hidden_expert": ExpertFactory(name="隐名专家", is_public=False),
        "achievement": achievement,
        "interest": interest,
        "station": WorkstationFactory(host=enterprise),
    }


def _content_records(manager_branch, manager_user, staff_user):
    from kexie.platform.accounts.models import User
    from kexie.platform.pictures.services import picture_create
    from kexie.portal.content import services
    from kexie.portal.content.models import Column
    from tests.factories import UserFactory
    from tests.pictures.conftest import image_bytes

    reviewer = UserFactory(name="审核人", role=User.Role.STAFF, is_staff=True)
    news = Column.objects.get(slug="news")
    cover = picture_create(
        upload=SimpleUploadedFile("会场.jpg", image_bytes(640, 480)), alt="会场", by=staff_user
    )
    private = picture_create(
        upload=SimpleUploadedFile("合影.jpg", image_bytes(640, 480)),
        alt="合影",
        by=staff_user,
        original_private=True,
    )
    article = services.article_create(
        column=news,
        title="平湖市科协召开学会工作会议",
        body="<p>正文</p>",
        cover=cover,
        by=staff_user,
    )
    services.attachment_add(
        article=article, by=staff_user, upload=SimpleUploadedFile("会议议程.pdf", PDF)
    )
    services.article_submit(article=article, by=staff_user)
    services.article_approve(article=article, by=reviewer)
    own_draft = services.article_create(
        column=news, title="当湖街道科普周", body="<p>正文</p>", by=manager_user,
        branch=manager_branch,
    )  # fmt: skip
    submitted = services.article_create(
        column=news, title="待审核的稿件", body="<p>正文</p>", by=reviewer
    )
    services.article_submit(article=submitted, by=reviewer)
    return {
        "picture": cover,
        "private_picture": private,
        "article": article,
        "article_attachment": article.attachments.get(),
        "own_article_draft": own_draft,
        "submitted_article": submitted,
    }


def _cast() -> dict:
    """The cast of ``tests/conftest.py`` and the 科协帮's (``tests/experts/conftest.py``)."""
    users = cast_users()
    manager_branch = users.pop("manager_branch")
    materials = discipline("430")
    battery = KeywordFactory(name="锂离子电池", synonyms="锂电池、锂电")
    other_owner = UserFactory(name="另一企业用户", role=User.Role.ENTERPRISE)
    other_expert_user = UserFactory(name="另一专家用户", role=User.Role.EXPERT)
    return {
        "users": users,
        "manager_branch": manager_branch,
        "materials": materials,
        "enterprise": EnterpriseFactory(name="平湖储能科技有限公司", users=[users["enterprise"]]),
        "other_enterprise": EnterpriseFactory(name="平湖光学仪器有限公司", users=[other_owner]),
        "expert": ExpertFactory(
            name="张储能", user=users["expert"], fields=[materials], keywords=[battery]
        ),
        "other_expert": ExpertFactory(name="李材料", user=other_expert_user, fields=[materials]),
    }


def build_sweep_world() -> dict:
    cast = _cast()
    users = cast["users"]
    world = {
        "users": users,
        "society": SocietyFactory(name="平湖市机械工程学会"),
        "branch": cast["manager_branch"],
        "contest": ContestProjectFactory(year=2022),
        "honor": HonorFactory(),
        "enterprise_user": users["enterprise"],
        "public_user": users["public"],
    }
    world.update(_outreach_records(cast["manager_branch"], users["manager"], users["staff"]))
    world.update(_content_records(cast["manager_branch"], users["manager"], users["staff"]))
    world.update(
        _experts_records(
            enterprise=cast["enterprise"],
            other_enterprise=cast["other_enterprise"],
            expert=cast["expert"],
            other_expert=cast["other_expert"],
            advance=functools.partial(advance_need, staff=users["staff"]),
            materials=cast["materials"],
            enterprise_user=users["enterprise"],
        )
    )
    return world


def _build_shared_sweep_world() -> dict:
    # Pictures' renditions are written to MEDIA_ROOT while the world is built.
    with override_settings(
        PASSWORD_HASHERS=["django.contrib.auth.hashers.MD5PasswordHasher"],
        SITE_URL="https://kexie.test",
    ):
        return build_sweep_world()


_shared_sweep_world = shared_world(_build_shared_sweep_world)


@pytest.fixture
def sweep_world(_shared_sweep_world, db, settings):
    settings.PRIVATE_MEDIA_ROOT = _shared_sweep_world["media_root"]
    settings.MEDIA_ROOT = _shared_sweep_world["public_media_root"]
    return copy_of(_shared_sweep_world)


@pytest.fixture
def client_for(sweep_world, login):
    """``client_for(role)``: a fresh client, logged in as that role's user of the world."""

    def _client(role: str) -> Client:
        user = None if role == "anonymous" else sweep_world["users"][role]
        return Client() if user is None else login(user)

    return _client
