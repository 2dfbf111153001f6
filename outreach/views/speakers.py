"""Speaker teams and lecture requests (点单式科普) for schools and communities."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_safe

from kexie.platform import limits
from kexie.platform.lib.validators import normalize_phone
from kexie.platform.privacy.services import consent_record
from outreach import access, selectors
from outreach.forms import LectureRequestForm
from outreach.services.speakers import lecture_request_create, lecture_request_link
from outreach.views.public import add_service_errors


@require_safe
def speaker_team_list(request):
    return render(
        request, "outreach/speaker_team_list.html", {"teams": selectors.speaker_teams_public()}
    )


@require_http_methods(["GET", "HEAD", "POST"])
def speaker_team_detail(request, pk: int):
    team = selectors.speaker_teams_public().filter(pk=pk).first()
    if team is None:
        raise Http404
    if request.method == "POST" and team.accepts_requests:
        form = LectureRequestForm(request.POST, team=team)
        status = 400
        if form.is_valid():
            data = form.cleaned_data
            try:
                # Each request texts the contact phone: limited per network
                # address and per phone before anything is written.
                limits.hit(request, "lecture_request", key=normalize_phone(data["contact_phone"]))
                lecture_request = lecture_request_create(
                    team=team, language=request.LANGUAGE_CODE, **data
                )
            except limits.RateLimited as exc:
                form.add_error(None, exc.message)
                status = 429
            except ValidationError as exc:
                add_service_errors(form, exc)
            else:
                consent_record(notice_key="lecture_request", record=lecture_request)
                messages.success(
                    request,
                    _("点单申请已提交。请收藏本页，随时查看处理进度；短信里也有本页的链接。"),
                )
                return redirect(lecture_request)
    else:
        form = LectureRequestForm(team=team)
        status = 200
    return render(
        request, "outreach/speaker_team_detail.html", {"team": team, "form": form}, status=status
    )


@never_cache
@require_safe
def lecture_request_status(request, code: str):
    """The requester's private page: where their request stands, and staff's answer."""
    lecture_request = access.lecture_request_for_code(code)
    event = lecture_request.event
    response = render(
        request,
        "outreach/lecture_request_status.html",
        {
            "lecture_request": lecture_request,
            "event": event,
            "event_is_public": event is not None and event.is_public,
            "link": lecture_request_link(lecture_request),
        },
    )
    response["X-Robots-Tag"] = "noindex"
    return response
