"""The admin is one more door into the services, never a way around them.

For each model with rules, a staff member posts the admin's change form, its
delete page and its actions with what the service would refuse: the database
is unchanged and the refusal is shown. Each accepted change leaves a history
row saying who made it. Every registered admin is swept as well, without a
line here: ``test_admin_registry.py`` reads each one's door, and
``test_admin_saves.py`` saves each one's record unchanged.
"""

from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from experts.models import (
    Engagement,
    Enterprise,
    Expert,
    ExpertApplication,
    Invitation,
    Rating,
    Response,
    TechNeed,
)
from experts.services import catalogue, needs
from members.models import ContestProject, ProgressUpdate
from outreach.models import Event, EventRecap, LectureRequest, Registration
from outreach.services.certificates import certificate_for_registration
from outreach.services.registrations import registration_check_in
from outreach.services.speakers import lecture_request_create
from tests.experts.conftest import advance_need
from tests.experts.factories import EnterpriseFactory, ExpertFactory, NeedFactory, discipline
from tests.experts.test_applications import submit as submit_application
from tests.factories import BranchFactory, SocietyFactory, TownFactory, UserFactory
from tests.members.factories import ContestProjectFactory
from tests.outreach.factories import (
    AudienceFactory,
    EventFactory,
    LectureTopicFactory,
    RegistrationFactory,
)
from tests.sweeps.adminforms import form_data as _form_data

pytestmark = pytest.mark.django_db

E = Event.Status
R = Registration.Status
S = TechNeed.Status


def _url(obj, view="change"):
    meta = obj._meta
    args = [] if view == "changelist" else [obj.pk]
    return reverse(f"admin:{meta.app_label}_{meta.model_name}_{view}", args=args)


def _post_change(client, obj, **changes):
    page = client.get(_url(obj))
    assert page.status_code == 200
    data = _form_data(page)
    data.update({key: str(value) for key, value in changes.items()})
    return client.post(_url(obj), data, follow=True)


def _act(client, obj, action):
    return client.post(
        _url(obj, "changelist"),
        {"action": action, "_selected_action": [obj.pk], "index": 0},
        follow=True,
    )


def _shown(page, text) -> bool:
    return text in page.content.decode()


def _messages(page) -> list[str]:
    return [str(message) for message in page.context["messages"]]


def _last_history(obj):
    return obj.history.order_by("-history_date", "-history_id").first()


# --- events -------------------------------------------------------------------


@pytest.fixture
def finished_event(staff_user):
    event = EventFactory(
        status=E.FINISHED,
        starts_at=timezone.now() - timedelta(days=3),
        ends_at=timezone.now() - timedelta(days=3) + timedelta(hours=2),
    )
    return event


def test_a_finished_event_cannot_be_moved_back_to_draft_by_its_form(
    staff_client, staff_user, finished_event
):
    page = _post_change(staff_client, finished_event, status=E.DRAFT, title="改过的标题")
    finished_event.refresh_from_db()
    assert finished_event.status == E.FINISHED
    # The rest of the form is an ordinary change, recorded with who made it.
    assert finished_event.title == "改过的标题"
    assert page.status_code == 200
    assert _last_history(finished_event).history_user == staff_user


def test_capacity_below_the_seats_taken_is_refused_in_the_form(staff_client):
    event = EventFactory(capacity=5)
    RegistrationFactory.create_batch(3, event=event)
    page = _post_change(staff_client, event, capacity=2)
    assert _shown(page, "名额不能少于已确认的3人。")
    event.refresh_from_db()
    assert event.capacity == 5


def test_an_event_with_sign_ups_cannot_be_deleted(staff_client):
    event = EventFactory()
    RegistrationFactory(event=event)
    # Its sign-ups may not be deleted in the admin, so neither may the event.
    page = staff_client.post(_url(event, "delete"), {"post": "yes"})
    assert page.status_code == 403
    assert Registration.objects.filter(event=event).count() == 1


def test_a_published_event_is_cancelled_not_deleted(staff_client):
    event = EventFactory()
    page = staff_client.post(_url(event, "delete"), {"post": "yes"}, follow=True)
    assert _shown(page, "只能删除没有报名的草稿活动；其他活动请取消。")
    assert Event.objects.filter(pk=event.pk).exists()


def test_bulk_delete_goes_through_the_same_service(staff_client):
    event = EventFactory()
    page = staff_client.post(
        _url(event, "changelist"),
        {"action": "delete_selected", "_selected_action": [event.pk], "post": "yes"},
        follow=True,
    )
    assert _shown(page, "只能删除没有报名的草稿活动；其他活动请取消。")
    assert Event.objects.filter(pk=event.pk).exists()


def test_a_draft_nobody_signed_up_for_can_be_deleted(staff_client):
    event = EventFactory(status=E.DRAFT)
    staff_client.post(_url(event, "delete"), {"post": "yes"}, follow=True)
    assert not Event.objects.filter(pk=event.pk).exists()


@pytest.mark.parametrize(
    ("status", "action", "refusal"),
    [
        (E.PUBLISHED, "publish_events", "只有草稿状态的活动可以发布。"),
        (E.PUBLISHED, "finish_events", "活动尚未结束。"),
        (E.FINISHED, "cancel_events", "已结束的活动不能取消。"),
        (E.CANCELLED, "cancel_events", "本活动已经取消。"),
        (E.DRAFT, "finish_events", "只有已发布的活动可以结束。"),
    ],
)
def test_event_actions_refuse_what_the_workflow_refuses(staff_client, status, action, refusal):
    event = EventFactory(status=status, starts_at=timezone.now() + timedelta(days=7))
    before = event.history.count()
    page = _act(staff_client, event, action)
    assert _shown(page, refusal)
    event.refresh_from_db()
    assert event.status == status
    assert event.history.count() == before


def test_publishing_records_who_and_which_change(staff_client, staff_user):
    event = EventFactory(status=E.DRAFT)
    page = _act(staff_client, event, "publish_events")
    assert _shown(page, "已发布 1 个活动。")
    event.refresh_from_db()
    assert event.status == E.PUBLISHED
    last = _last_history(event)
    assert (last.history_user, last.history_change_reason) == (staff_user, "草稿 → 已发布")


def test_finishing_records_each_no_show_in_bulk(staff_client, staff_user, finished_event):
    event = EventFactory(
        starts_at=timezone.now() - timedelta(days=1),
        ends_at=timezone.now() - timedelta(days=1) + timedelta(hours=2),
    )
    absent, present = RegistrationFactory.create_batch(2, event=event)
    registration_check_in(registration=present, count=1)
    _act(staff_client, event, "finish_events")
    absent.refresh_from_db()
    assert absent.status == R.NO_SHOW
    last = _last_history(absent)
    assert last.status == R.NO_SHOW
    assert last.history_user == staff_user
    assert last.history_change_reason.startswith("已确认 → 未到场")


# --- registrations and lecture requests ------------------------------------------


def test_a_checked_in_registration_cannot_be_cancelled_by_the_action(staff_client):
    registration = RegistrationFactory()
    registration_check_in(registration=registration, count=1)
    page = _act(staff_client, registration, "cancel_registrations")
    assert _shown(page, "已签到或已结束的报名不能取消。")
    registration.refresh_from_db()
    assert registration.status == R.ATTENDED


def test_a_registration_status_cannot_be_posted(staff_client):
    registration = RegistrationFactory()
    _post_change(staff_client, registration, status=R.CANCELLED, party_size=3)
    registration.refresh_from_db()
    assert (registration.status, registration.party_size) == (R.CONFIRMED, 1)
    assert staff_client.post(_url(registration, "delete"), {"post": "yes"}).status_code == 403


def test_cancelling_by_the_action_is_recorded(staff_client, staff_user):
    registration = RegistrationFactory()
    _act(staff_client, registration, "cancel_registrations")
    registration.refresh_from_db()
    assert registration.status == R.CANCELLED
    assert _last_history(registration).history_user == staff_user


@pytest.fixture
def lecture_request(db):
    topic = LectureTopicFactory(title="科学小实验")
    return lecture_request_create(
        team=topic.team,
        topic=topic,
        audience=AudienceFactory(),
        town=TownFactory(name="广陈镇"),
        preferred_date=timezone.localdate() + timedelta(days=30),
        organisation="广陈镇中心幼儿园",
        contact_name="王老师",
        contact_phone="13900001111",
        expected_attendance=40,
    )


def test_a_lecture_request_cannot_be_edited_only_answered(staff_client, lecture_request):
    assert staff_client.get(_url(lecture_request)).status_code == 200  # read, with its history
    page = staff_client.post(_url(lecture_request), {"status": LectureRequest.Status.ACCEPTED})
    assert page.status_code == 403
    lecture_request.refresh_from_db()
    assert lecture_request.status == LectureRequest.Status.SUBMITTED


def _answer(client, obj, action, **answer):
    """An action that asks first: its form, then the form posted back."""
    page = _act(client, obj, action)
    assert page.status_code == 200 and "form" in page.context
    data = {"action": action, "_selected_action": [obj.pk], "apply": "yes", **answer}
    return client.post(_url(obj, "changelist"), data, follow=True)


def _accept(client, lecture_request):
    day = timezone.localdate() + timedelta(days=30)
    return _answer(
        client,
        lecture_request,
        "accept_requests",
        starts_at=f"{day}T09:00",
        ends_at=f"{day}T10:30",
    )


def test_accepting_a_lecture_request_in_the_admin_makes_its_event(
    staff_client, staff_user, lecture_request
):
    page = _accept(staff_client, lecture_request)
    assert _shown(page, "已受理 1 个申请，活动已创建，申请单位会收到通知。")
    lecture_request.refresh_from_db()
    assert lecture_request.status == LectureRequest.Status.ACCEPTED
    assert lecture_request.event.status == E.DRAFT
    assert _last_history(lecture_request).history_user == staff_user


def test_declining_in_the_admin_needs_the_reason_the_requester_reads(
    staff_client, staff_user, lecture_request
):
    page = _answer(staff_client, lecture_request, "decline_requests", reason="")
    assert _shown(page, "请说明未能安排的原因。")
    lecture_request.refresh_from_db()
    assert lecture_request.status == LectureRequest.Status.SUBMITTED
    page = _answer(staff_client, lecture_request, "decline_requests", reason="档期已满")
    assert _shown(page, "已回复 1 个申请。")
    lecture_request.refresh_from_db()
    assert (lecture_request.status, lecture_request.decline_reason) == ("declined", "档期已满")
    last = _last_history(lecture_request)
    assert (last.history_user, last.history_change_reason) == (
        staff_user,
        "待受理 → 未能安排: 档期已满",
    )


def test_an_answered_request_is_not_answered_twice(staff_client, lecture_request):
    _answer(staff_client, lecture_request, "decline_requests", reason="档期已满")
    page = _accept(staff_client, lecture_request)
    lecture_request.refresh_from_db()
    assert lecture_request.status == LectureRequest.Status.DECLINED
    assert lecture_request.event is None
    assert _messages(page) == [f"{lecture_request}: 该申请已经处理过了。"]


# --- after the event: recaps and certificates ---------------------------------


@pytest.fixture
def past_event(db):
    return EventFactory(
        status=E.FINISHED,
        starts_at=timezone.now() - timedelta(days=2),
        ends_at=timezone.now() - timedelta(days=2) + timedelta(hours=2),
        gives_certificate=True,
        certificate_hours=Decimal("2.0"),
    )


def test_a_recap_before_the_event_ended_is_refused(staff_client):
    coming = EventFactory(starts_at=timezone.now() + timedelta(days=3))
    page = staff_client.post(
        reverse("admin:outreach_eventrecap_add"),
        {
            "event": coming.pk,
            "summary": "提前写好的回顾",
            "photos-TOTAL_FORMS": "0",
            "photos-INITIAL_FORMS": "0",
        },
        follow=True,
    )
    assert _shown(page, "活动结束后才能添加活动回顾。")
    assert not EventRecap.objects.exists()


def test_a_recap_is_saved_by_its_service_with_history(staff_client, staff_user, past_event):
    staff_client.post(
        reverse("admin:outreach_eventrecap_add"),
        {
            "event": past_event.pk,
            "summary": "孩子们做了小火箭。",
            "photos-TOTAL_FORMS": "0",
            "photos-INITIAL_FORMS": "0",
        },
        follow=True,
    )
    recap = EventRecap.objects.get()
    assert recap.updated_by == staff_user
    assert _last_history(recap).history_user == staff_user
    assert staff_client.post(_url(recap, "delete"), {"post": "yes"}).status_code == 403


def test_a_certificate_is_revoked_with_the_reason_given(staff_client, staff_user, past_event):
    registration = RegistrationFactory(
        event=past_event, status=R.ATTENDED, attended_count=1, name="王小明"
    )
    certificate = certificate_for_registration(registration)
    assert staff_client.post(_url(certificate), {"hours": "9"}).status_code == 403
    page = _answer(staff_client, certificate, "revoke", reason="")
    assert _shown(page, "请填写撤销原因。")
    certificate.refresh_from_db()
    assert certificate.revoked_at is None
    page = _answer(staff_client, certificate, "revoke", reason="签到记录有误")
    assert _shown(page, "已撤销1份证书。")
    certificate.refresh_from_db()
    assert certificate.revoke_reason == "签到记录有误"
    last = _last_history(certificate)
    assert last.history_user == staff_user
    # The history keeps no copy of the holder's name (erased with the sign-up).
    assert not hasattr(last, "holder_name")


# --- the 科协帮 ---------------------------------------------------------------


@pytest.fixture
def engaged(enterprise_user, staff_user, expert_user):
    """A need followed to its rating, through the services."""
    enterprise = EnterpriseFactory(users=[enterprise_user])
    expert = ExpertFactory(user=expert_user, fields=[discipline("430")])
    need = NeedFactory(enterprise=enterprise, fields=[discipline("430")])
    return advance_need(need, S.RATED, owner=enterprise_user, staff=staff_user, expert=expert)


@pytest.mark.parametrize("model", [TechNeed, Response, Invitation, Engagement, Rating])
def test_workflow_records_are_read_only_in_the_admin(staff_client, engaged, model):
    obj = model.objects.get(**({"pk": engaged.pk} if model is TechNeed else {}))
    page = staff_client.get(_url(obj))
    assert page.status_code == 200  # staff read it and its history
    assert staff_client.get(_url(obj, "history")).status_code == 200
    assert staff_client.post(_url(obj), {"status": "withdrawn"}).status_code == 403
    assert staff_client.post(_url(obj, "delete"), {"post": "yes"}).status_code == 403
    assert model.objects.filter(pk=obj.pk).exists()
    engaged.refresh_from_db()
    assert engaged.status == S.RATED


def test_a_need_is_published_only_from_review(staff_client, enterprise_user, staff_user):
    need = NeedFactory(enterprise=EnterpriseFactory(users=[enterprise_user]))
    page = _act(staff_client, need, "publish_needs")
    assert _shown(page, "不能将需求从「草稿」改为「已发布」。")
    need.refresh_from_db()
    assert need.status == S.DRAFT
    needs.need_submit(need=need, by=enterprise_user)
    page = _act(staff_client, need, "publish_needs")
    assert _shown(page, "已发布 1 条需求。")
    need.refresh_from_db()
    assert need.status == S.PUBLISHED
    assert need.transitions.last().by == staff_user


def test_verifying_enterprises_writes_history(staff_client, staff_user):
    enterprise = EnterpriseFactory(verified=False)
    # Not by the form: ``verified`` is read-only there.
    _post_change(staff_client, enterprise, verified="on")
    enterprise.refresh_from_db()
    assert not enterprise.verified
    _act(staff_client, enterprise, "mark_verified")
    enterprise.refresh_from_db()
    assert enterprise.verified
    assert _last_history(enterprise).history_user == staff_user


def test_an_application_is_declined_in_the_admin_only_with_a_reason(staff_client, staff_user):
    application = submit_application(UserFactory(name="申请人"))
    assert staff_client.post(_url(application), {"status": "approved"}).status_code == 403
    page = _answer(staff_client, application, "decline", reason="")
    assert _shown(page, "请填写未通过的原因，申请人会看到它。")
    application.refresh_from_db()
    assert application.status == ExpertApplication.Status.PENDING
    page = _answer(staff_client, application, "decline", reason="请补充代表性成果")
    assert _shown(page, "已回复 1 份申请。")
    application.refresh_from_db()
    assert application.status == ExpertApplication.Status.DECLINED
    assert _last_history(application).history_user == staff_user


def test_an_expert_who_took_part_cannot_be_deleted(staff_client, engaged):
    expert = Expert.objects.get()
    # Their engagement is protected and their responses may not be deleted in the
    # admin, so Django itself refuses (the page lists what stands in the way).
    page = staff_client.post(_url(expert, "delete"), {"post": "yes"})
    assert page.status_code in (200, 403)
    assert Expert.objects.filter(pk=expert.pk).exists()
    assert Enterprise.objects.exists()


def test_an_invited_expert_is_deactivated_not_deleted(staff_user):
    expert = ExpertFactory(fields=[discipline("430")])
    need = NeedFactory(enterprise=EnterpriseFactory())
    Invitation.objects.create(need=need, expert=expert, invited_by=staff_user)
    with pytest.raises(ValidationError) as error:
        catalogue.expert_delete(expert=expert, by=staff_user)
    assert error.value.messages == ["该专家已参与过需求对接，不能删除；请取消“有效”以停用。"]
    assert Expert.objects.filter(pk=expert.pk).exists()


# --- members ------------------------------------------------------------------


def test_a_branch_cannot_be_put_under_its_own_child(staff_client, staff_user):
    parent = BranchFactory()
    child = BranchFactory(parent=parent, town=parent.town)
    page = _post_change(staff_client, parent, parent=child.pk)
    assert _shown(page, "上级组织不能是本组织或其下级组织，否则会形成循环。")
    parent.refresh_from_db()
    assert parent.parent is None
    _post_change(staff_client, child, name="新名字科协")
    child.refresh_from_db()
    assert child.name == "新名字科协"
    assert _last_history(child).history_user == staff_user


def test_contest_progress_before_the_project_year_is_refused(staff_client):
    project = ContestProjectFactory(society=SocietyFactory(), year=timezone.localdate().year)
    page = staff_client.get(_url(project))
    data = _form_data(page)
    prefix = "updates"
    for inline in page.context["inline_admin_formsets"]:
        if inline.formset.model.__name__ == "ProgressUpdate":
            prefix = inline.formset.prefix
    data.update(
        {
            f"{prefix}-TOTAL_FORMS": "1",
            f"{prefix}-INITIAL_FORMS": "0",
            f"{prefix}-0-date": f"{project.year - 1}-06-01",
            f"{prefix}-0-text": "去年就开始了",
        }
    )
    page = staff_client.post(_url(project), data, follow=True)
    assert _shown(page, "进展日期不能早于项目所在年度。")
    assert not ContestProject.objects.get(pk=project.pk).updates.exists()


def test_a_contest_project_cannot_move_past_its_progress(staff_client, staff_user):
    project = ContestProjectFactory(society=SocietyFactory(), year=2024)
    ProgressUpdate.objects.create(project=project, date=date(2024, 6, 1), text="开题")
    page = _post_change(staff_client, project, year=2025)
    assert _shown(page, "已有早于该年度的进展记录，不能改到该年度。")
    project.refresh_from_db()
    assert project.year == 2024
    _post_change(staff_client, project, title="改过名的项目")
    project.refresh_from_db()
    assert project.title == "改过名的项目"
    assert _last_history(project).history_user == staff_user


def test_an_expert_is_saved_by_expert_save(staff_client, staff_user):
    expert = ExpertFactory(fields=[discipline("430")])
    page = _post_change(staff_client, expert, name="  改名的专家  ")
    assert page.status_code == 200
    expert.refresh_from_db()
    assert expert.name == "改名的专家"  # trimmed by the service
    assert _last_history(expert).history_user == staff_user
