"""Experts' responses, the clarification thread and the enterprise's choice."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils.translation import gettext as _
from simple_history.utils import bulk_update_with_history

from experts import notify, rules, workflow
from experts.models import Engagement, Expert, Response, ResponseMessage, TechNeed
from experts.services.transitions import need_transition

S = TechNeed.Status
MAX_THREAD_MESSAGES = 20


@transaction.atomic
def response_create(
    *,
    need: TechNeed,
    expert: Expert,
    by,
    approach: str,
    duration: str,
    cost_min: int | None = None,
    cost_max: int | None = None,
) -> Response:
    """An expert answers an open need they were invited to or agreed to keep confidential."""
    locked = TechNeed.objects.select_for_update().select_related("enterprise").get(pk=need.pk)
    if locked.status not in workflow.OPEN_STATUSES:
        raise ValidationError(_("该需求已不再接受专家响应。"), code="need_not_open")
    if not expert.is_active:
        raise ValidationError(_("您的专家资料已停用，不能提交响应。"), code="expert_inactive")
    if not rules.can_respond(expert, locked):
        raise ValidationError(
            _("请先签署保密承诺并阅读需求详情，再提交响应。"), code="agreement_required"
        )
    if Response.objects.filter(need=locked, expert=expert).exists():
        raise ValidationError(_("您已经响应过这条需求。"), code="already_responded")
    response = Response(
        need=locked,
        expert=expert,
        created_by=by,
        approach=approach.strip(),
        duration=duration.strip(),
        cost_min=cost_min,
        cost_max=cost_max,
    )
    response.full_clean()
    response.save()
    if locked.status == S.PUBLISHED:
        need_transition(need=locked, to_status=S.MATCHED, by=by, as_system=True)
    notify.to_enterprise(
        locked.enterprise,
        template="experts-response-received",
        context={"need": locked, "response": response, "need_url": notify.need_url(locked)},
        dedupe_key=f"experts:response:{response.pk}",
    )
    return response


@transaction.atomic
def response_message_add(*, response: Response, by, body: str) -> ResponseMessage:
    """A question from the enterprise or an answer from the expert under a response."""
    need = response.need
    if not rules.can_message_response(by, response):
        raise ValidationError(
            _("只有发布需求的企业和响应的专家可以在这里留言。"), code="not_participant"
        )
    if need.status in (S.CLOSED, S.WITHDRAWN):
        raise ValidationError(_("该需求已结束，不能再留言。"), code="need_finished")
    body = (body or "").strip()
    if not body:
        raise ValidationError(_("请填写留言内容。"), code="empty")
    if response.messages.count() >= MAX_THREAD_MESSAGES:
        raise ValidationError(_("留言已达上限，请联系科协工作人员协助沟通。"), code="thread_full")
    message = ResponseMessage(response=response, author=by, body=body)
    message.full_clean()
    message.save()
    context = {
        "need": need,
        "response": response,
        "message": message,
        "need_url": notify.need_url(need),
    }
    if rules.is_expert_of(by, response.expert):
        notify.to_enterprise(
            need.enterprise,
            template="experts-thread-message",
            context=context,
            dedupe_key=f"experts:message:{message.pk}",
        )
    else:
        notify.to_expert(
            response.expert,
            template="experts-thread-message",
            context=context,
            dedupe_key=f"experts:message:{message.pk}",
        )
    return message


@transaction.atomic
def response_accept(*, response: Response, by, reason: str = "") -> Engagement:
    """The enterprise chooses this response: an engagement starts. The other
    experts who answered are told, with ``reason`` when the enterprise gives
    one, and thanked."""
    need = response.need
    if not rules.can_accept_response(by, response):
        raise ValidationError(_("只有发布需求的企业可以采纳响应。"), code="not_owner")
    # Lock the need before any response: two acceptances at once would
    # otherwise each hold one response and wait for the other's (a deadlock).
    TechNeed.objects.select_for_update().get(pk=need.pk)
    locked = Response.objects.select_for_update().get(pk=response.pk)
    if locked.status != Response.Status.SUBMITTED:
        raise ValidationError(_("这条响应已不能采纳。"), code="response_not_open")
    # Checks the need's state (matched) and records the change.
    need_transition(need=need, to_status=S.ACCEPTED, by=by, as_system=True)
    others = list(
        need.responses.exclude(pk=locked.pk)
        .filter(status=Response.Status.SUBMITTED)
        .select_related("expert", "expert__user")
        .order_by("pk")
    )
    for other in others:
        other.status = Response.Status.NOT_SELECTED
    # One query for the rows and one for their history, whoever set them aside.
    bulk_update_with_history(others, Response, ["status"], default_user=by)
    locked.status = Response.Status.ACCEPTED
    locked.save(update_fields=["status"])
    engagement = Engagement(
        need=need, response=locked, expert=locked.expert, choice_reason=(reason or "").strip()
    )
    engagement.full_clean()
    engagement.save()
    for other in others:
        notify.to_expert(
            other.expert,
            template="experts-not-selected",
            context={
                "need": need,
                "reason": engagement.choice_reason,
                "board_url": notify.absolute(reverse("experts:board")),
            },
            dedupe_key=f"experts:not-selected:{other.pk}",
        )
    notify.to_expert(
        locked.expert,
        template="experts-response-accepted",
        context={"need": need, "response": locked, "need_url": notify.need_url(need)},
        dedupe_key=f"experts:accepted:{locked.pk}",
    )
    return engagement
