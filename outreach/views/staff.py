"""Pages for the association staff and organisers: an event's sign-ups, the
Excel export, the check-in page at the door, and lecture requests."""

from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_safe
from openpyxl import Workbook

from kexie.platform.lib import confirm, partcache
from kexie.platform.lib.inputs import parse_id
from kexie.platform.lib.spreadsheets import escape_formula, sheet_title
from kexie.platform.privacy.services import export_log
from members.access import org_scope_for_user
from outreach import access, selectors
from outreach.forms import CheckInForm, DeclineForm, LectureAcceptForm, SignUpForm
from outreach.models import LectureRequest, Registration
from outreach.services.registrations import (
    registration_cancel,
    registration_check_in,
)
from outreach.services.speakers import lecture_request_accept, lecture_request_decline
from outreach.views.public import add_service_errors, sign_up_from_form

#: Sign-ups on a page of an event's list: a 500-seat event has 600 and more.
REGISTRATIONS_PER_PAGE = 50


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def event_registrations(request, pk: int):
    event = access.event_for_manager(request.user, pk, detail=False)
    short = None
    if request.method == "POST":
        event = selectors.event_with_seats(pk=event.pk)
        # Staff enter a sign-up taken by phone or on paper; the window does not apply.
        form = SignUpForm(request.POST, event=event)
        if form.is_valid():
            registration, short = sign_up_from_form(request, event, form, enforce_window=False)
            if registration is not None:
                messages.success(
                    request,
                    _("已添加报名（%(status)s）。") % {"status": registration.get_status_display()},
                )
                return redirect("outreach:staff_event_registrations", pk=event.pk)
    else:
        form = None
    status = request.GET.get("status") or ""
    if status not in Registration.Status.values:
        status = ""

    def content() -> str:
        # Seats read after the part's dependencies were, so as new as them.
        shown = event if request.method == "POST" else selectors.event_with_seats(pk=event.pk)
        return render_to_string(
            "outreach/staff/_registrations.html",
            {
                "event": shown,
                "registrations": Paginator(
                    selectors.event_registrations(event=shown, status=status or None),
                    REGISTRATIONS_PER_PAGE,
                ).get_page(request.GET.get("page")),
                "counts": selectors.registration_counts(event=shown),
                "statuses": Registration.Status.choices,
                "status": status,
                "form": form
                if request.method == "POST"
                else SignUpForm(event=shown, initial={"party_size": 1}),
                "short": short,
            },
            request=request,
        )

    # Kept for the next visitor who may see this event's list, while neither
    # the event nor its sign-ups change; a form sent back with errors is not.
    registrations = partcache.part(
        request,
        "outreach:staff_event_registrations",
        domains=("outreach",),
        dependencies=(selectors.event_dependency(event.pk),),
        vary=(
            event.pk,
            partcache.query_of(request, ("status", "page")) if request.method == "GET" else None,
        ),
        render=content,
    )
    return render(
        request,
        "outreach/staff/registrations.html",
        {"event": event, "content": registrations},
    )


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def registration_cancel_by_staff(request, pk: int, registration_pk: int):
    event = access.event_for_manager(request.user, pk)
    registration = access.registration_for_manager(request.user, event, registration_pk)
    back = reverse("outreach:staff_event_registrations", args=[event.pk])
    if not confirm.confirmed(request):
        return confirm.ask(
            request,
            base="staff/base.html",
            title=_("取消报名"),
            question=_(
                "确定取消 %(name)s 的报名吗？取消后不能恢复，空出的名额会按顺序让给候补的人，"
                "报名人会收到通知。"
            )
            % {"name": registration.name},
            details=[
                (_("活动"), event.title),
                (_("姓名"), registration.name),
                (_("手机号码"), registration.masked_phone),
                (_("人数"), str(registration.party_size)),
                (_("状态"), registration.get_status_display()),
            ],
            back_url=back,
            confirm_label=_("确认取消报名"),
        )
    try:
        promoted = registration_cancel(
            registration=registration, by_registrant=False, by=request.user
        )
    except ValidationError as exc:
        for message in exc.messages:
            messages.error(request, message)
    else:
        messages.success(
            request,
            _("已取消 %(name)s 的报名，%(count)s 个候补报名转为正式。")
            % {"name": registration.name, "count": len(promoted)},
        )
    return redirect("outreach:staff_event_registrations", pk=event.pk)


# A cell that starts with = + - @ (or a tab, a CR) would run as a formula in Excel.
_safe_cell = escape_formula


@login_required
@require_safe
def registrations_xlsx(request, pk: int):
    """The sign-up list for the door or the phone: who, how many, how to reach
    them. Nothing private beyond that: no 报名码 (the key to a sign-up's
    private page, which would let whoever holds the file cancel it) and no
    e-mail address (the phone number is the contact)."""
    event = access.event_for_manager(request.user, pk)
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(title=sheet_title(_("报名名单")))
    sheet.append(
        [
            _("报名时间"),
            _("姓名"),
            _("手机号码"),
            _("人数"),
            _("状态"),
            _("已签到人数"),
            _("签到时间"),
        ]
    )
    rows = 0
    for registration in selectors.event_registrations(event=event).iterator(chunk_size=1000):
        rows += 1
        sheet.append(
            [
                timezone.localtime(registration.created_at).strftime("%Y-%m-%d %H:%M"),
                _safe_cell(registration.name),
                registration.phone,
                registration.party_size,
                registration.get_status_display(),
                registration.attended_count,
                timezone.localtime(registration.checked_in_at).strftime("%Y-%m-%d %H:%M")
                if registration.checked_in_at
                else "",
            ]
        )
    response = HttpResponse(
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    )
    response["Content-Disposition"] = f'attachment; filename="registrations-event-{event.pk}.xlsx"'
    workbook.save(response)
    export_log(
        user=request.user,
        what=_("报名名单：%(event)s（#%(pk)s）") % {"event": event.title, "pk": event.pk},
        rows=rows,
        fields=[_("报名时间"), _("姓名"), _("手机号码"), _("人数"), _("状态"), _("签到")],
    )
    return response


@never_cache
@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def check_in(request, pk: int):
    """At the door, on a phone: find a sign-up by scanning or typing its code,
    or by name or the last four phone digits, and check in all or part of the
    party."""
    event = access.event_for_manager(request.user, pk)
    query = request.GET.get("q", "")
    if request.method == "POST":
        registration_id = parse_id(request.POST.get("registration"))
        if registration_id is None:
            raise Http404
        registration = access.registration_for_manager(request.user, event, registration_id)
        form = CheckInForm(request.POST)
        if form.is_valid():
            already = registration.status == Registration.Status.ATTENDED and (
                registration.attended_count == form.cleaned_data["count"]
            )
            try:
                registration = registration_check_in(
                    registration=registration, count=form.cleaned_data["count"], by=request.user
                )
            except ValidationError as exc:
                for message in exc.messages:
                    messages.error(request, message)
            else:
                if already:
                    # A second scan of the same code (a forwarded screenshot, a
                    # double tap): nothing changed, and the door should know.
                    messages.warning(
                        request,
                        _("%(name)s 已于 %(when)s 签到过（%(count)s 人），无需重复签到。")
                        % {
                            "name": registration.name,
                            "when": date_format(
                                timezone.localtime(registration.checked_in_at), "H:i"
                            ),
                            "count": registration.attended_count,
                        },
                    )
                    return _back_to_check_in(request, event)
                messages.success(
                    request,
                    _("%(name)s 已签到 %(count)s/%(size)s 人。")
                    % {
                        "name": registration.name,
                        "count": registration.attended_count,
                        "size": registration.party_size,
                    },
                )
        else:
            for errors in form.errors.values():
                for message in errors:
                    messages.error(request, message)
        return _back_to_check_in(request, event)
    results = selectors.checkin_search(event=event, query=query)
    elsewhere = None
    if query and not results:
        elsewhere = selectors.checkin_code_elsewhere(event=event, query=query)
    return render(
        request,
        "outreach/staff/check_in.html",
        {
            "event": event,
            "query": query,
            "results": results,
            "elsewhere": elsewhere,
            "elsewhere_managed": elsewhere is not None
            and access.can_manage_event(request.user, elsewhere),
            "counts": selectors.registration_counts(event=event),
        },
    )


def _back_to_check_in(request, event):
    url = reverse("outreach:staff_check_in", args=[event.pk])
    query = request.POST.get("q", "")
    return redirect(f"{url}?{urlencode({'q': query})}" if query else url)


@never_cache
@login_required
@require_safe
def check_in_counts(request, pk: int):
    event = access.event_for_manager(request.user, pk)
    counts = selectors.registration_counts(event=event)
    return JsonResponse(
        {
            "present": counts["present"],
            "expected": counts["expected"],
            "waiting": counts["people"]["waitlisted"],
            "capacity": counts["capacity"],
        }
    )


@login_required
@require_safe
def lecture_requests(request):
    """Every lecture request of the user's organisations' speaker teams."""
    if not (request.user.is_association_staff or request.user.is_org_manager):
        raise PermissionDenied
    status = request.GET.get("status") or ""
    if status not in LectureRequest.Status.values:
        status = ""
    scope = org_scope_for_user(request.user)
    page = Paginator(
        selectors.lecture_requests_for_staff(scope=scope, status=status or None), 50
    ).get_page(request.GET.get("page"))
    return render(
        request,
        "outreach/staff/lecture_requests.html",
        {"page": page, "status": status, "statuses": LectureRequest.Status.choices},
    )


def _request_for_user(user, pk: int) -> LectureRequest:
    request = get_object_or_404(
        LectureRequest.objects.select_related("team", "topic", "town", "event", "decided_by"), pk=pk
    )
    if user.is_association_staff:
        return request
    scope = org_scope_for_user(user)
    team = request.team
    if scope.covers_society(team.society_id) or scope.covers_branch(team.branch_id):
        return request
    # Requests carry a school's contact details: others must not learn they exist.
    raise Http404


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def lecture_request_decide(request, pk: int):
    if not (request.user.is_association_staff or request.user.is_org_manager):
        raise PermissionDenied
    lecture_request = _request_for_user(request.user, pk)
    accept_form = LectureAcceptForm(prefix="accept")
    decline_form = DeclineForm(prefix="decline")
    here = reverse("outreach:staff_lecture_request", args=[lecture_request.pk])
    if request.method == "POST" and lecture_request.status != LectureRequest.Status.SUBMITTED:
        # Answered meanwhile (by a colleague, or in another tab).
        messages.error(request, _("该申请已经处理过了。"))
        return redirect(here)
    if request.method == "POST":
        action = request.POST.get("action")
        if action == "accept":
            accept_form = LectureAcceptForm(request.POST, prefix="accept")
            if accept_form.is_valid():
                if not confirm.confirmed(request):
                    return _confirm_accept(request, lecture_request, accept_form, here)
                try:
                    lecture_request_accept(
                        request=lecture_request, by=request.user, **accept_form.cleaned_data
                    )
                except ValidationError as exc:
                    add_service_errors(accept_form, exc)
                else:
                    messages.success(request, _("已受理，活动已创建，申请单位会收到通知。"))
                    return redirect(here)
        elif action == "decline":
            decline_form = DeclineForm(request.POST, prefix="decline")
            if decline_form.is_valid():
                if not confirm.confirmed(request):
                    return confirm.ask(
                        request,
                        base="staff/base.html",
                        title=_("回复：未能安排"),
                        question=_(
                            "确定回复%(organisation)s未能安排这次讲座吗？"
                            "申请单位会收到通知，回复后不能撤回。"
                        )
                        % {"organisation": lecture_request.organisation},
                        details=[
                            (_("题目"), lecture_request.topic_title),
                            (_("未能安排的原因"), decline_form.cleaned_data["reason"]),
                        ],
                        keep=["action", "decline-reason"],
                        back_url=here,
                        confirm_label=_("确认回复"),
                    )
                try:
                    lecture_request_decline(
                        request=lecture_request,
                        by=request.user,
                        reason=decline_form.cleaned_data["reason"],
                    )
                except ValidationError as exc:
                    add_service_errors(decline_form, exc)
                else:
                    messages.success(request, _("已回复申请单位。"))
                    return redirect(here)
    return render(
        request,
        "outreach/staff/lecture_request.html",
        {
            "lecture_request": lecture_request,
            "accept_form": accept_form,
            "decline_form": decline_form,
        },
    )


def _confirm_accept(request, lecture_request, form, back_url):
    data = form.cleaned_data
    starts = date_format(timezone.localtime(data["starts_at"]), "DATETIME_FORMAT")
    ends = date_format(timezone.localtime(data["ends_at"]), "TIME_FORMAT")
    when = f"{starts} – {ends}"
    return confirm.ask(
        request,
        base="staff/base.html",
        title=_("受理点单讲座"),
        question=_("确定受理%(organisation)s的申请吗？将创建活动并通知申请单位，受理后不能撤回。")
        % {"organisation": lecture_request.organisation},
        details=[
            (_("题目"), lecture_request.topic_title),
            (_("时间"), when),
            (_("活动地点"), str(data["venue"] or _("待定"))),
            (_("公开报名名额"), str(data["capacity"] or _("不公开报名"))),
            (_("立即发布"), _("是") if data["publish"] else _("否，先存为草稿")),
        ],
        keep=["action", *(form.add_prefix(name) for name in form.fields)],
        back_url=back_url,
        confirm_label=_("确认受理"),
        danger=False,
    )
