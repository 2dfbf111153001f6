"""Staff pages: review queue, stuck needs, invitations, achievement follow-up."""

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST, require_safe

from experts import access, notify, selectors
from experts.forms import InterestUpdateForm, InviteForm, NeedTermsForm, SynonymForm
from experts.models import AchievementInterest, TechNeed
from experts.services import catalogue, matching, vocabulary
from experts.views.common import flash_errors


@login_required
@require_safe
def review_queue(request):
    access.require_staff(request.user)
    return render(
        request,
        "experts/staff/review_queue.html",
        {"needs": list(selectors.review_queue()), "stuck": selectors.stuck_needs()},
    )


@login_required
@require_safe
def need_list(request):
    access.require_staff(request.user)
    status = request.GET.get("status")
    if status not in TechNeed.Status.values:
        status = None
    counts = selectors.status_counts()
    needs = Paginator(selectors.staff_needs(status=status), settings.EXPERTS_PER_PAGE).get_page(
        request.GET.get("page")
    )
    return render(
        request,
        "experts/staff/need_list.html",
        {
            "needs": needs,
            "status": status,
            "statuses": [
                (value, label, counts.get(value, 0)) for value, label in TechNeed.Status.choices
            ],
            "total": sum(counts.values()),
        },
    )


@login_required
@require_POST
def invite(request, pk):
    access.require_staff(request.user)
    need = access.need_for_user(request.user, pk, write=True)
    form = InviteForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("请选择要邀请的专家。"))
        return redirect(need)
    try:
        invitation = matching.invitation_create(
            need=need,
            expert=form.cleaned_data["expert"],
            by=request.user,
            message=form.cleaned_data["message"],
        )
    except ValidationError as error:
        flash_errors(request, error)
    else:
        if notify.expert_reachable(invitation.expert):
            done = _("已邀请%(name)s，专家会收到通知。")
        else:
            done = _("已邀请%(name)s，但该专家没有可用的邮箱或手机，未能发送通知，请另行联系。")
        messages.success(request, done % {"name": invitation.expert.name})
    return redirect(need)


@login_required
@require_safe
def interests(request):
    access.require_staff(request.user)
    status = request.GET.get("status")
    if status not in AchievementInterest.Status.values:
        status = None
    return render(
        request,
        "experts/staff/interests.html",
        {
            "interests": list(selectors.interests_for_staff(status=status)[:200]),
            "statuses": AchievementInterest.Status.choices,
            "status": status,
        },
    )


@login_required
@require_POST
def interest_update(request, pk):
    access.require_staff(request.user)
    interest = get_object_or_404(AchievementInterest, pk=pk)
    form = InterestUpdateForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("请选择跟进状态。"))
        return redirect("experts:interests")
    try:
        catalogue.achievement_interest_update(
            interest=interest, by=request.user, **form.cleaned_data
        )
    except ValidationError as error:
        flash_errors(request, error)
    else:
        messages.success(request, _("跟进记录已保存。"))
    return redirect("experts:interests")


@login_required
@require_POST
def need_terms(request, pk):
    """Staff confirm or correct the need's fields and keywords (the review card)."""
    access.require_staff(request.user)
    need = access.need_for_user(request.user, pk, write=True)
    form = NeedTermsForm(request.POST)
    if not form.is_valid():
        for errors in form.errors.values():
            for message in errors:
                messages.error(request, message)
        return redirect(need)
    try:
        vocabulary.need_terms_confirm(
            need=need,
            by=request.user,
            fields=list(form.cleaned_data["fields"]),
            keywords=form.cleaned_data["all_keywords"],
            add_to_vocabulary=form.cleaned_data["add_to_vocabulary"],
        )
    except ValidationError as error:
        flash_errors(request, error)
    else:
        messages.success(request, _("领域和关键词已确认，推荐专家已按确认结果更新。"))
    return redirect(need)


@login_required
@require_POST
def keyword_synonym(request, pk):
    """Staff add a plain word of the need to the shared vocabulary as a synonym."""
    access.require_staff(request.user)
    need = access.need_for_user(request.user, pk, write=True)
    form = SynonymForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("请填写需求中的说法并选择对应的关键词。"))
        return redirect(need)
    try:
        keyword = vocabulary.keyword_synonym_add(
            keyword=form.cleaned_data["keyword"], word=form.cleaned_data["word"], by=request.user
        )
    except ValidationError as error:
        flash_errors(request, error)
    else:
        messages.success(
            request,
            _("「%(word)s」已作为「%(name)s」的同义词加入共享词表。")
            % {"word": form.cleaned_data["word"].strip(), "name": keyword.name},
        )
    return redirect(need)
