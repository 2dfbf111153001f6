"""Experts and enterprises working on a need together: confidentiality,
responses and their threads, the engagement, the rating; the expert's dashboard."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from experts import access, notify, rules, selectors, workflow
from experts.forms import (
    DigestForm,
    ExpertProfileForm,
    InterestForm,
    LogEntryForm,
    MessageForm,
    RatingForm,
    ReplyForm,
    ResolveForm,
    ResponseForm,
    add_service_errors,
)
from experts.models import Invitation, Rating, TechNeed
from experts.services import catalogue, engagements, matching, responses
from experts.views.common import flash_errors
from kexie.platform.lib import confirm, partcache
from kexie.platform.privacy.services import consent_record


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def confidentiality(request, pk):
    """An expert reads and accepts the confidentiality undertaking of a need."""
    need = access.need_for_user(request.user, pk)
    expert = access.require_expert(request.user)
    if need.status not in workflow.OPEN_STATUSES:
        raise PermissionDenied
    if request.method == "POST":
        try:
            matching.confidentiality_accept(need=need, expert=expert, by=request.user)
        except ValidationError as error:
            flash_errors(request, error)
        else:
            messages.success(request, _("已签署保密承诺，现在可以查看需求详情。"))
        return redirect(need)
    return render(
        request,
        "experts/confidentiality.html",
        {"need": need, "text": matching.confidentiality_text(need)},
    )


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def response_create(request, pk):
    need = access.need_for_user(request.user, pk)
    expert = access.require_expert(request.user)
    if not access.can_see_confidential(request.user, need):
        return redirect("experts:confidentiality", pk=need.pk)
    form = ResponseForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            responses.response_create(
                need=need, expert=expert, by=request.user, **form.cleaned_data
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            if notify.enterprise_reachable(need.enterprise):
                messages.success(request, _("响应已提交，企业会收到通知。"))
            else:
                messages.success(
                    request,
                    _("响应已提交。企业尚未验证手机或邮箱，无法通知；对方登录后即可看到。"),
                )
            return redirect(need)
    return render(request, "experts/response_form.html", {"need": need, "form": form})


@login_required
@require_POST
def response_message(request, pk):
    response = access.response_for_user(request.user, pk)
    form = MessageForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("请填写留言内容（不超过1000字）。"))
    else:
        try:
            responses.response_message_add(
                response=response, by=request.user, body=form.cleaned_data["body"]
            )
        except ValidationError as error:
            flash_errors(request, error)
        else:
            messages.success(request, _("留言已发送。"))
    return redirect(response.need)


@login_required
@require_POST
def response_accept(request, pk):
    response = access.response_for_user(request.user, pk)
    if not rules.can_accept_response(request.user, response):
        raise PermissionDenied
    if not confirm.confirmed(request):
        # Choosing an expert cannot be taken back: say so before doing it.
        reason = request.POST.get("reason", "").strip()
        return confirm.ask(
            request,
            title=_("采纳响应"),
            question=_(
                "确定采纳%(name)s的响应吗？采纳后对接服务随即开始，不能再改选其他专家；"
                "其他响应的专家会收到通知。"
            )
            % {"name": response.expert.name},
            details=[(_("专家"), response.expert.name), (_("预计周期"), response.duration)]
            + ([(_("选择理由"), reason)] if reason else []),
            keep=["reason"],
            back_url=response.need.get_absolute_url(),
            confirm_label=_("确认采纳"),
            danger=False,
        )
    try:
        responses.response_accept(
            response=response, by=request.user, reason=request.POST.get("reason", "")
        )
    except ValidationError as error:
        flash_errors(request, error)
        return redirect(response.need)
    messages.success(request, _("已采纳该专家的响应，对接服务开始。"))
    return redirect("experts:engagement", pk=response.need_id)


def _engagement_page(request, need, *, status=200, **forms):
    """The engagement page; a form that failed comes back bound, with what was
    typed and its errors beside the fields."""
    page = selectors.engagement_page(need)
    rating = page.get("rating")
    # A reply already given is edited, not written again over an empty box.
    reply = rating.expert_reply if rating is not None else ""
    return render(
        request,
        "experts/engagement.html",
        {
            "need": need,
            "is_owner": rules.is_owner(request.user, need),
            "is_staff": rules.is_staff(request.user),
            "log_form": forms.get("log_form") or LogEntryForm(),
            "resolve_form": forms.get("resolve_form") or ResolveForm(),
            "reply_form": forms.get("reply_form") or ReplyForm(initial={"reply": reply}),
            **page,
        },
        status=status,
    )


@login_required
@require_safe
def engagement(request, pk):
    need = access.engagement_need_for_user(request.user, pk)
    return _engagement_page(request, need)


@login_required
@require_POST
def engagement_log(request, pk):
    need = access.engagement_need_for_user(request.user, pk)
    form = LogEntryForm(request.POST)
    if form.is_valid():
        try:
            engagements.service_log_add(need=need, by=request.user, **form.cleaned_data)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("服务记录已添加。"))
            return redirect("experts:engagement", pk=need.pk)
    return _engagement_page(request, need, log_form=form, status=400)


@login_required
@require_POST
def engagement_resolve(request, pk):
    need = access.engagement_need_for_user(request.user, pk)
    if not rules.can_resolve(request.user, need):
        raise PermissionDenied
    form = ResolveForm(request.POST)
    if form.is_valid():
        try:
            engagements.engagement_resolve(need=need, by=request.user, **form.cleaned_data)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("需求已标记为解决，请为本次服务评价。"))
            return redirect("experts:rate", pk=need.pk)
    return _engagement_page(request, need, resolve_form=form, status=400)


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def rate(request, pk):
    need = access.engagement_need_for_user(request.user, pk)
    if not rules.can_rate(request.user, need):
        raise PermissionDenied
    if request.method != "POST" and need.status != TechNeed.Status.RESOLVED:
        # Not resolved yet, or rated already: an empty form here would only be refused.
        rated = Rating.objects.filter(engagement__need=need).exists()
        messages.info(
            request, _("该服务已经评价过了。") if rated else _("只有已解决的需求可以评价。")
        )
        return redirect("experts:engagement", pk=need.pk)
    form = RatingForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            engagements.rating_create(need=need, by=request.user, **form.cleaned_data)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("感谢您的评价！"))
            return redirect("experts:engagement", pk=need.pk)
    return render(request, "experts/rating_form.html", {"need": need, "form": form})


@login_required
@require_POST
def rating_reply(request, pk):
    need = access.engagement_need_for_user(request.user, pk)
    form = ReplyForm(request.POST)
    if form.is_valid():
        try:
            engagements.rating_reply(need=need, by=request.user, reply=form.cleaned_data["reply"])
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("回复已保存。"))
            return redirect("experts:engagement", pk=need.pk)
    return _engagement_page(request, need, reply_form=form, status=400)


@login_required
@require_safe
def expert_dashboard(request):
    expert = access.expert_profile(request.user)
    if expert is None:
        # Not in the pool (yet): the way in, never a bare 403.
        return redirect("experts:expert_apply")

    def content() -> str:
        return render_to_string(
            "experts/_expert_dashboard.html",
            {
                "expert": expert,
                "digest_form": DigestForm(initial={"weekly_digest": expert.weekly_digest}),
                **selectors.expert_dashboard(expert),
            },
            request=request,
        )

    # The expert's own: kept per user while nothing in 科协帮 changes.
    dashboard = partcache.part(
        request,
        "experts:expert_dashboard",
        domains=("experts",),
        vary=(request.user.pk, expert.pk),
        render=content,
    )
    return render(
        request, "experts/expert_dashboard.html", {"expert": expert, "content": dashboard}
    )


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def expert_profile(request):
    expert = access.expert_profile(request.user)
    if expert is None:
        return redirect("experts:expert_apply")
    form = ExpertProfileForm(request.POST or None, initial=ExpertProfileForm.initial_for(expert))
    if request.method == "POST" and form.is_valid():
        try:
            catalogue.expert_profile_update(expert=expert, by=request.user, **form.cleaned_data)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            consent_record(notice_key="expert", record=expert, again=True)
            messages.success(request, _("专家资料已保存。"))
            return redirect("experts:expert_dashboard")
    return render(request, "experts/expert_profile_form.html", {"form": form, "expert": expert})


@login_required
@require_POST
def invitation_decline(request, pk):
    expert = access.require_expert(request.user)
    invitation = get_object_or_404(Invitation, pk=pk, expert=expert)
    matching.invitation_decline(invitation=invitation, by=request.user)
    messages.success(request, _("已婉拒该邀请，感谢告知。"))
    return redirect("experts:expert_dashboard")


@login_required
@require_POST
def expert_digest(request):
    expert = access.require_expert(request.user)
    form = DigestForm(request.POST)
    form.is_valid()
    catalogue.expert_digest_set(
        expert=expert, enabled=form.cleaned_data.get("weekly_digest", False)
    )
    messages.success(request, _("设置已保存。"))
    return redirect("experts:expert_dashboard")


@login_required
@require_POST
def achievement_interest(request, pk):
    achievement = access.achievement_for_user(request.user, pk)
    enterprise = access.require_enterprise(request.user)
    form = InterestForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("请填写合作意向（不超过2000字）。"))
        return redirect(achievement)
    try:
        catalogue.achievement_interest_create(
            achievement=achievement, enterprise=enterprise, by=request.user, **form.cleaned_data
        )
    except ValidationError as error:
        flash_errors(request, error)
    else:
        messages.success(request, _("合作意向已提交，科协工作人员会尽快与您联系。"))
    return redirect(achievement)
