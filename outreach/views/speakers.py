"""Speaker teams and lecture requests (点单式科普) for schools and communities."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from kexie.platform import limits
from kexie.platform.lib.validators import normalize_phone
from kexie.platform.privacy.services import consent_record
from outreach import selectors
from outreach.forms import LectureRequestForm
from outreach.services.speakers import lecture_request_create
from outreach.views.public import add_service_errors


@require_GET
def speaker_team_list(request):
    return render(
        request, "outreach/speaker_team_list.html", {"teams": selectors.speaker_teams_public()}
    )


@require_http_methods(["GET", "POST"])
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
                lecture_request = lecture_request_create(team=team, **data)
            except limits.RateLimited as exc:
                form.add_error(None, exc.message)
                status = 429
            except ValidationError as exc:
                add_service_errors(form, exc)
            else:
                consent_record(notice_key="lecture_request", record=lecture_request)
                messages.success(request, _("点单申请已提交，科协会尽快与您联系。"))
                return redirect(team)
    else:
        form = LectureRequestForm(team=team)
        status = 200
    return render(
        request, "outreach/speaker_team_detail.html", {"team": team, "form": form}, status=status
    )
