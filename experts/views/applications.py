"""Joining the expert pool: the application (and its status) for the person,
the review for staff."""

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from experts import access, selectors
from experts.forms import ApplicationDecisionForm, ExpertApplicationForm, add_service_errors
from experts.models import ExpertApplication
from experts.services import applications, linking
from experts.views.common import flash_errors
from kexie.platform.outbox.services import user_reachable
from kexie.platform.privacy.services import consent_record

A = ExpertApplication.Status


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def expert_apply(request):
    """Where 专家工作台 leads a person who is not in the pool (yet): the
    application form, or the status of the one they sent."""
    if access.expert_profile(request.user) is not None:
        return redirect("experts:expert_dashboard")
    latest = selectors.latest_application(request.user)
    if latest is not None and latest.status == A.PENDING:
        return render(request, "experts/expert_apply.html", {"pending": latest})
    if latest is not None and latest.status == A.APPROVED and latest.expert_id:
        # Approved, but the expert record was since made inactive by staff.
        return render(request, "experts/expert_apply.html", {"inactive": latest})
    declined = latest if latest is not None and latest.status == A.DECLINED else None
    initial = (
        ExpertApplicationForm.initial_for(declined) if declined else {"name": request.user.name}
    )
    # A record staff made for an address this person proved (the code that
    # opened the account): offered to link instead of applying.
    found = linking.linkable_experts(linking.proven_addresses(request))
    form = ExpertApplicationForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            application = applications.application_submit(user=request.user, **form.cleaned_data)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            consent_record(notice_key="expert", record=application)
            messages.success(request, _("申请已提交，科协工作人员审核后会通知您。"))
            return redirect("experts:expert_apply")
    return render(
        request,
        "experts/expert_apply.html",
        {"form": form, "declined": declined, "found": found[0] if len(found) == 1 else None},
    )


@login_required
@require_safe
def application_list(request):
    access.require_application_reviewer(request.user)
    status = request.GET.get("status")
    if status not in A.values:
        status = None
    counts = selectors.application_counts()
    page = Paginator(
        selectors.staff_applications(status=status), settings.EXPERTS_PER_PAGE
    ).get_page(request.GET.get("page"))
    return render(
        request,
        "experts/staff/applications.html",
        {
            "applications": page,
            "status": status,
            "statuses": [(value, label, counts.get(value, 0)) for value, label in A.choices],
            "total": sum(counts.values()),
        },
    )


@login_required
@require_safe
def application_detail(request, pk):
    application = access.application_for_staff(request.user, pk)
    return render(
        request,
        "experts/staff/application_detail.html",
        {"form": ApplicationDecisionForm(), **selectors.application_page(application)},
    )


@login_required
@require_POST
def application_decide(request, pk):
    application = access.application_for_staff(request.user, pk)
    form = ApplicationDecisionForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("无法识别的操作。"))
        return redirect(application)
    try:
        # Only a proven address is written to: say so when the applicant has none yet.
        reachable = user_reachable(application.user)
        if form.cleaned_data["decision"] == "approve":
            expert = applications.application_approve(application=application, by=request.user)
            if reachable:
                done = _("已批准%(name)s入库，并通知了申请人。")
            else:
                done = _(
                    "已批准%(name)s入库。申请人尚未验证手机或邮箱，无法通知；"
                    "对方登录后即可进入专家工作台。"
                )
            messages.success(request, done % {"name": expert.name})
        else:
            applications.application_decline(
                application=application, by=request.user, reason=form.cleaned_data["reason"]
            )
            if reachable:
                messages.success(request, _("已通知申请人未通过的原因。"))
            else:
                messages.success(
                    request,
                    _(
                        "已记下未通过的原因。申请人尚未验证手机或邮箱，无法通知；"
                        "对方登录后在申请页面可以看到。"
                    ),
                )
    except ValidationError as error:
        flash_errors(request, error)
        return redirect(application)
    return redirect("experts:application_list")
