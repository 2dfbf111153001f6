"""Who may open which page: a matrix of (url, role, expected status).

Roles: anonymous, other enterprise, uninvited expert, invited expert (on the
engaged need: the engaged expert), owner, staff. 302 for anonymous is the
redirect to the log-in page; for others it is the redirect after an action.
"""

import pytest
from django.contrib.messages import get_messages
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from experts.models import Expert, TechNeed, Workstation
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
from tests.experts.test_needs import PDF
from tests.factories import UserFactory
from tests.worlds import copy_of, shared_world

S = TechNeed.Status
ROLES = ["anonymous", "other_enterprise", "uninvited_expert", "invited_expert", "owner", "staff"]


def _build_world():
    staff = UserFactory(name="工作人员", role=User.Role.STAFF, is_staff=True)
    owner = UserFactory(name="企业用户", role=User.Role.ENTERPRISE)
    other_owner = UserFactory(name="另一企业用户", role=User.Role.ENTERPRISE)
    expert_user = UserFactory(name="专家用户", role=User.Role.EXPERT)
    other_expert_user = UserFactory(name="另一专家用户", role=User.Role.EXPERT)
    materials = discipline("430")
    battery = KeywordFactory(name="锂离子电池", synonyms="锂电池、锂电")
    enterprise = EnterpriseFactory(name="平湖储能科技有限公司", users=[owner])
    other_enterprise = EnterpriseFactory(name="平湖光学仪器有限公司", users=[other_owner])
    expert = ExpertFactory(name="张储能", user=expert_user, fields=[materials], keywords=[battery])
    ExpertFactory(name="李材料", user=other_expert_user, fields=[materials])

    def advance(need, to_status):
        return advance_need(need, to_status, owner=owner, staff=staff, expert=expert)

    matched = advance(NeedFactory(enterprise=enterprise, fields=[materials]), S.MATCHED)
    response = responses.response_create(
        need=matched, expert=expert, by=expert.user, approach="方案", duration="1个月"
    )
    attachment = needs.need_attachment_add(
        need=matched, by=owner, upload=SimpleUploadedFile("图纸.pdf", PDF)
    )
    engaged = advance(NeedFactory(enterprise=enterprise, fields=[materials]), S.IN_SERVICE)
    draft = NeedFactory(enterprise=enterprise, fields=[materials])
    achievement = AchievementFactory()
    station = WorkstationFactory(host=enterprise)
    applied = WorkstationFactory(host=enterprise, status=Workstation.Status.APPLIED)
    hidden = ExpertFactory(is_public=False)
    interest = achievement_interest_create(
        achievement=achievement,
        enterprise=other_enterprise,
        by=other_owner,
        message="想了解许可费用",
    )
    application = application_submit(
        user=UserFactory(name="申请人"),
        name="申请人",
        title="engineer",
        organisation="嘉兴学院",
        region="zhejiang",
        fields=[materials],
        keywords=[],
        biography="从事模具设计。",
    )
    return {
        "application": application,
        "matched": matched,
        "response": response,
        "attachment": attachment,
        "engaged": engaged,
        "draft": draft,
        "achievement": achievement,
        "station": station,
        "applied": applied,
        "hidden": hidden,
        "expert": expert,
        "interest": interest,
        "invitation": matched.invitations.get(expert=expert),
        "users": {
            "other_enterprise": other_owner,
            "uninvited_expert": other_expert_user,
            "invited_expert": expert_user,
            "owner": owner,
            "staff": staff,
        },
    }


_shared = shared_world(_build_world)


@pytest.fixture
def world(_shared, db, settings):
    settings.PRIVATE_MEDIA_ROOT = _shared["media_root"]
    return copy_of(_shared)


@pytest.fixture
def client_for(world, login):
    users = world["users"]
    return lambda role: Client() if role == "anonymous" else login(users[role])


def _finish(response) -> None:
    # A file download holds its file open until its content is read; the test
    # client closes it after the last chunk without closing the test's database
    # connection (calling ``close()`` directly would, on PostgreSQL).
    if response.streaming:
        b"".join(response.streaming_content)


URLS = {
    "board": lambda w: reverse("experts:board"),
    "need_public": lambda w: reverse("experts:need_detail", args=[w["matched"].pk]),
    "need_draft": lambda w: reverse("experts:need_detail", args=[w["draft"].pk]),
    "need_edit": lambda w: reverse("experts:need_edit", args=[w["draft"].pk]),
    "attachment": lambda w: reverse("experts:attachment_download", args=[w["attachment"].pk]),
    "confidentiality": lambda w: reverse("experts:confidentiality", args=[w["matched"].pk]),
    "respond": lambda w: reverse("experts:response_create", args=[w["matched"].pk]),
    "engagement": lambda w: reverse("experts:engagement", args=[w["engaged"].pk]),
    "rate": lambda w: reverse("experts:rate", args=[w["engaged"].pk]),
    "my_needs": lambda w: reverse("experts:my_needs"),
    "need_create": lambda w: reverse("experts:need_create"),
    "enterprise_start": lambda w: reverse("experts:enterprise_start"),
    "enterprise_register": lambda w: reverse("experts:enterprise_register"),
    "dashboard": lambda w: reverse("experts:expert_dashboard"),
    "expert_apply": lambda w: reverse("experts:expert_apply"),
    "link_start": lambda w: reverse("experts:expert_link_start"),
    "link_code": lambda w: reverse("experts:expert_link_code"),
    "application_list": lambda w: reverse("experts:application_list"),
    "application_detail": lambda w: reverse(
        "experts:application_detail", args=[w["application"].pk]
    ),
    "expert_profile": lambda w: reverse("experts:expert_profile"),
    "review_queue": lambda w: reverse("experts:review_queue"),
    "staff_need_list": lambda w: reverse("experts:staff_need_list"),
    "interests": lambda w: reverse("experts:interests"),
    "expert_list": lambda w: reverse("experts:expert_list"),
    "expert_detail": lambda w: reverse("experts:expert_detail", args=[w["expert"].pk]),
    "expert_private": lambda w: reverse("experts:expert_detail", args=[w["hidden"].pk]),
    "achievement_list": lambda w: reverse("experts:achievement_list"),
    "achievement_detail": lambda w: reverse(
        "experts:achievement_detail", args=[w["achievement"].pk]
    ),
    "workstation_list": lambda w: reverse("experts:workstation_list"),
    "workstation_detail": lambda w: reverse("experts:workstation_detail", args=[w["station"].pk]),
    "workstation_applied": lambda w: reverse("experts:workstation_detail", args=[w["applied"].pk]),
}

#                        anonymous other_ent uninvited invited owner staff
GET_MATRIX = {
    "board": (200, 200, 200, 200, 200, 200),
    "need_public": (200, 200, 200, 200, 200, 200),
    "need_draft": (404, 404, 404, 404, 200, 200),
    "need_edit": (302, 404, 404, 404, 200, 200),
    "attachment": (302, 404, 404, 200, 200, 200),
    "confidentiality": (302, 403, 200, 200, 403, 403),
    "respond": (302, 403, 302, 200, 403, 403),
    "engagement": (302, 404, 404, 200, 200, 200),
    "rate": (302, 404, 404, 403, 302, 403),
    "my_needs": (302, 200, 200, 200, 200, 200),
    # Without an enterprise, 发布技术需求 leads into registering one, never a 403.
    "need_create": (302, 200, 302, 302, 200, 302),
    "enterprise_start": (302, 302, 302, 302, 302, 302),
    "enterprise_register": (302, 302, 200, 200, 302, 200),
    # Without an expert record, 专家工作台 leads to the application, never a 403.
    "dashboard": (302, 302, 200, 200, 302, 302),
    "expert_profile": (302, 302, 200, 200, 302, 302),
    "expert_apply": (302, 200, 302, 302, 200, 200),
    "link_start": (302, 200, 302, 302, 200, 200),
    # Without an address waiting for its code, the first step.
    "link_code": (302, 302, 302, 302, 302, 302),
    "application_list": (302, 403, 403, 403, 403, 200),
    "application_detail": (302, 403, 403, 403, 403, 200),
    "review_queue": (302, 403, 403, 403, 403, 200),
    "staff_need_list": (302, 403, 403, 403, 403, 200),
    "interests": (302, 403, 403, 403, 403, 200),
    "expert_list": (200, 200, 200, 200, 200, 200),
    "expert_detail": (200, 200, 200, 200, 200, 200),
    "expert_private": (404, 404, 404, 404, 404, 200),
    "achievement_list": (200, 200, 200, 200, 200, 200),
    "achievement_detail": (200, 200, 200, 200, 200, 200),
    "workstation_list": (200, 200, 200, 200, 200, 200),
    "workstation_detail": (200, 200, 200, 200, 200, 200),
    "workstation_applied": (404, 404, 404, 404, 404, 200),
}


# Where a signed-in user is sent instead of the page asked for.
GET_REDIRECTS = {
    "enterprise_register": lambda w: reverse("experts:my_needs"),
    # An expert neither invited nor bound by the undertaking reads it first.
    "respond": lambda w: reverse("experts:confidentiality", args=[w["matched"].pk]),
    # A need still in service is resolved on its engagement page before it is rated.
    "rate": lambda w: reverse("experts:engagement", args=[w["engaged"].pk]),
    "dashboard": lambda w: reverse("experts:expert_apply"),
    "expert_profile": lambda w: reverse("experts:expert_apply"),
    "expert_apply": lambda w: reverse("experts:expert_dashboard"),
    "link_start": lambda w: reverse("experts:expert_dashboard"),
    "link_code": lambda w: reverse("experts:expert_link_start"),
    # Without an enterprise, posting a need starts by registering one.
    "need_create": lambda w: reverse("experts:enterprise_register"),
    # The first-day flow sends each to the step where they are (by role).
    "enterprise_start": {
        "other_enterprise": lambda w: reverse("experts:need_create"),
        "uninvited_expert": lambda w: reverse("experts:enterprise_register"),
        "invited_expert": lambda w: reverse("experts:enterprise_register"),
        "owner": lambda w: reverse("experts:my_needs"),
        "staff": lambda w: reverse("experts:enterprise_register"),
    },
}


@pytest.mark.parametrize(
    ("name", "role", "expected"),
    [(name, role, codes[i]) for name, codes in GET_MATRIX.items() for i, role in enumerate(ROLES)],
)
def test_get_permission_matrix(world, client_for, name, role, expected):
    response = client_for(role).get(URLS[name](world))
    _finish(response)
    assert response.status_code == expected
    if expected == 302:
        # Where each redirect leads: the log-in page, or the page that role belongs on.
        if role == "anonymous":
            assert response.url.startswith(reverse("accounts:login"))
        else:
            target = GET_REDIRECTS[name]
            target = target[role] if isinstance(target, dict) else target
            assert response.url == target(world)


POSTS = {
    "submit_draft": (
        lambda w: reverse("experts:need_action", args=[w["draft"].pk]),
        {"to_status": S.SUBMITTED},
    ),
    "withdraw_public": (
        lambda w: reverse("experts:need_action", args=[w["matched"].pk]),
        {"to_status": S.WITHDRAWN, "confirmed": "yes"},
    ),
    "upload": (
        lambda w: reverse("experts:attachment_upload", args=[w["matched"].pk]),
        {},
    ),
    "invite": (lambda w: reverse("experts:invite", args=[w["matched"].pk]), {}),
    "message": (
        lambda w: reverse("experts:response_message", args=[w["response"].pk]),
        {"body": "请问周期能缩短吗？"},
    ),
    "accept": (
        lambda w: reverse("experts:response_accept", args=[w["response"].pk]),
        {"confirmed": "yes"},
    ),
    "log": (
        lambda w: reverse("experts:engagement_log", args=[w["engaged"].pk]),
        {"kind": "call", "occurred_on": "2026-01-05", "summary": "电话沟通"},
    ),
    "resolve": (
        lambda w: reverse("experts:engagement_resolve", args=[w["engaged"].pk]),
        {"outcome": "问题已解决"},
    ),
    "digest": (lambda w: reverse("experts:expert_digest"), {}),
    "decline": (
        lambda w: reverse("experts:invitation_decline", args=[w["invitation"].pk]),
        {},
    ),
    "interest": (
        lambda w: reverse("experts:achievement_interest", args=[w["achievement"].pk]),
        {"message": "希望合作"},
    ),
    "interest_update": (
        lambda w: reverse("experts:interest_update", args=[w["interest"].pk]),
        {"status": "following"},
    ),
    "apply": (lambda w: reverse("experts:expert_apply"), {"name": ""}),
    # Nothing proven in the session: back to the application with the reason.
    "link_confirm": (lambda w: reverse("experts:expert_link_confirm"), {}),
    "decline_application": (
        lambda w: reverse("experts:application_decide", args=[w["application"].pk]),
        {"decision": "decline", "reason": "资料不全"},
    ),
}

#                     anonymous other_ent uninvited invited owner staff
POST_MATRIX = {
    "submit_draft": (302, 404, 404, 404, 302, 302),
    "withdraw_public": (302, 403, 403, 403, 302, 302),
    "upload": (302, 403, 403, 403, 302, 302),
    "invite": (302, 403, 403, 403, 403, 302),
    "message": (302, 404, 404, 302, 302, 302),
    "accept": (302, 404, 404, 403, 302, 403),
    "log": (302, 404, 404, 302, 302, 302),
    "resolve": (302, 404, 404, 403, 302, 302),
    "digest": (302, 403, 302, 302, 403, 403),
    "decline": (302, 403, 404, 302, 403, 403),
    "interest": (302, 302, 403, 403, 302, 403),
    "interest_update": (302, 403, 403, 403, 403, 302),
    # An invalid application form comes back (200); experts go to their dashboard.
    "apply": (302, 200, 302, 302, 200, 200),
    "link_confirm": (302, 302, 302, 302, 302, 302),
    "decline_application": (302, 403, 403, 403, 403, 302),
}


@pytest.mark.parametrize(
    ("name", "role", "expected"),
    [(name, role, codes[i]) for name, codes in POST_MATRIX.items() for i, role in enumerate(ROLES)],
)
def test_post_permission_matrix(world, client_for, name, role, expected):
    url, data = POSTS[name]
    if name == "invite":
        data = {"expert": ExpertFactory(name="王邀请", fields=[world["expert"].fields.first()]).pk}
    if name == "upload":
        # A fresh file each time: one read to its end uploads nothing the next time.
        data = {"file": SimpleUploadedFile("x.pdf", PDF)}
    response = client_for(role).post(url(world), data)
    assert response.status_code == expected
    if expected != 302:
        return
    if role == "anonymous":
        assert response.url.startswith(reverse("accounts:login"))
    else:
        # What the redirect carries: the service's answer, success or refusal.
        said = [str(message) for message in get_messages(response.wsgi_request)]
        if (name, role) in POST_OUTCOMES:
            assert said == [POST_OUTCOMES[name, role]]
        else:  # sent on without a word, to where that role belongs
            assert (said, response.url) == ([], reverse(POST_REDIRECTS[name]))


# The message behind each redirect of POST_MATRIX (other than to log in).
POST_OUTCOMES = {
    ("submit_draft", "owner"): "需求已提交，等待科协工作人员审核。",
    ("submit_draft", "staff"): "您不能将需求改为「待审核」。",
    ("withdraw_public", "owner"): "需求已撤回。",
    ("withdraw_public", "staff"): "需求已撤回。",
    ("upload", "owner"): "附件已上传。",
    ("upload", "staff"): "附件已上传。",
    ("invite", "staff"): "已邀请王邀请，专家会收到通知。",
    ("message", "invited_expert"): "留言已发送。",
    ("message", "owner"): "留言已发送。",
    ("message", "staff"): "只有发布需求的企业和响应的专家可以在这里留言。",
    ("accept", "owner"): "已采纳该专家的响应，对接服务开始。",
    ("log", "invited_expert"): "服务记录已添加。",
    ("log", "owner"): "服务记录已添加。",
    ("log", "staff"): "服务记录已添加。",
    ("resolve", "owner"): "需求已标记为解决，请为本次服务评价。",
    ("resolve", "staff"): "需求已标记为解决，请为本次服务评价。",
    ("digest", "uninvited_expert"): "设置已保存。",
    ("digest", "invited_expert"): "设置已保存。",
    ("decline", "invited_expert"): "已婉拒该邀请，感谢告知。",
    (
        "interest",
        "other_enterprise",
    ): "贵企业已经提交过对该成果的合作意向，科协工作人员会尽快联系。",
    ("interest", "owner"): "合作意向已提交，科协工作人员会尽快与您联系。",
    ("interest_update", "staff"): "跟进记录已保存。",
    ("decline_application", "staff"): "已通知申请人未通过的原因。",
    **{("link_confirm", role): "请先用验证码验证专家档案中的邮箱或手机号。" for role in ROLES[1:]},
}
# Redirects that carry no message: an expert asking to apply goes to their dashboard.
POST_REDIRECTS = {"apply": "experts:expert_dashboard"}


def test_every_url_answers_a_logged_out_visitor_without_error(world, client):
    for name, url in URLS.items():
        response = client.get(url(world))
        _finish(response)
        assert response.status_code in (200, 302, 404), name


def test_get_only_pages_refuse_post(world, client):
    assert client.post(reverse("experts:board")).status_code == 405


def test_unknown_ids_give_404_not_500(login, staff_user):
    client = login(staff_user)
    for name in [
        "need_detail",
        "expert_detail",
        "achievement_detail",
        "workstation_detail",
        "attachment_download",
        "engagement",
        "rate",
    ]:
        response = client.get(reverse(f"experts:{name}", args=[999999]))
        assert response.status_code == 404, name


def test_inactive_expert_profile_is_hidden(db, client):
    expert = ExpertFactory(is_active=False)
    assert client.get(reverse("experts:expert_detail", args=[expert.pk])).status_code == 404
    assert Expert.objects.filter(pk=expert.pk).exists()
