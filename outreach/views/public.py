"""Pages for visitors: events, sign-up, the private sign-up page, venues,
calendar files."""

import segno
from django.conf import settings
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods

from kexie.platform import limits
from kexie.platform.lib.pagecache import public_page
from kexie.platform.lib.validators import normalize_phone
from outreach import access, ical, selectors
from outreach.filters import EventFilter, VenueFilter
from outreach.forms import SignUpForm
from outreach.models import Campaign, Registration
from outreach.services.notices import registration_link
from outreach.services.registrations import cancel_cutoff, registration_cancel, registration_create


def add_service_errors(form, exc: ValidationError) -> None:
    """Put a service's ValidationError on the form: field errors on their
    fields, the rest on top."""
    if hasattr(exc, "error_dict"):
        for field, errors in exc.message_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, exc.messages)


def _page(request, queryset, per_page=None):
    paginator = Paginator(queryset, per_page or settings.OUTREACH_EVENTS_PER_PAGE)
    return paginator.get_page(request.GET.get("page"))


def _query_without_page(request) -> str:
    query = request.GET.copy()
    query.pop("page", None)
    return query.urlencode()


@require_GET
@public_page("outreach", "members")
def event_list(request):
    past = request.GET.get("when") == "past"
    event_filter = EventFilter(request.GET, queryset=selectors.event_list_base(past=past))
    # Paginate narrow rows, then load the twenty shown with their seats and
    # organisers: the database sorts ids, not whole events.
    page = _page(request, event_filter.qs.values_list("pk", flat=True))
    return render(
        request,
        "outreach/event_list.html",
        {
            "filter": event_filter,
            "page": page,
            "events": selectors.events_for_cards(list(page.object_list)),
            "past": past,
            "query": _query_without_page(request),
        },
    )


def _month_from(value: str | None):
    today = timezone.localdate()
    try:
        year, month = (int(part) for part in (value or "").split("-"))
        if 1900 <= year <= 2100 and 1 <= month <= 12:
            return year, month
    except ValueError:
        pass
    return today.year, today.month


@require_GET
def event_calendar(request):
    year, month = _month_from(request.GET.get("month"))
    weeks = selectors.calendar_month(year=year, month=month)
    previous = (year - 1, 12) if month == 1 else (year, month - 1)
    following = (year + 1, 1) if month == 12 else (year, month + 1)
    return render(
        request,
        "outreach/event_calendar.html",
        {
            "weeks": weeks,
            "year": year,
            "month": month,
            "previous": f"{previous[0]}-{previous[1]:02d}",
            "following": f"{following[0]}-{following[1]:02d}",
            "today": timezone.localdate(),
        },
    )


def _signup_initial(user) -> dict:
    if not user.is_authenticated:
        return {"party_size": 1}
    return {
        "name": user.name,
        "phone": user.phone or "",
        "email": user.email or "",
        "party_size": 1,
    }


@require_http_methods(["GET", "POST"])
@public_page("outreach", "members")
def event_detail(request, pk: int):
    event = access.event_for_user(request.user, pk)
    if request.method == "POST":
        form = SignUpForm(request.POST, event=event)
        status = 400
        if form.is_valid():
            # Only sign-ups made count: a family that mistypes is not held up.
            recipients = [normalize_phone(form.cleaned_data["phone"]), form.cleaned_data["email"]]
            try:
                limits.check(request, "signup", key=recipients)
            except limits.RateLimited as exc:
                form.add_error(None, exc.message)
                status = 429
        if form.is_valid() and status != 429:
            try:
                registration = registration_create(
                    event=event,
                    user=request.user,
                    name=form.cleaned_data["name"],
                    phone=form.cleaned_data["phone"],
                    party_size=form.cleaned_data["party_size"],
                    email=form.cleaned_data["email"],
                )
            except ValidationError as exc:
                add_service_errors(form, exc)
            else:
                limits.count(request, "signup", key=recipients)
                if registration.status == Registration.Status.WAITLISTED:
                    messages.warning(
                        request, _("名额已满，您已进入候补名单。有空位时会按顺序通知您。")
                    )
                else:
                    messages.success(request, _("报名成功！请保存下面的报名链接和二维码。"))
                return redirect(registration)
    else:
        form = SignUpForm(initial=_signup_initial(request.user), event=event)
        status = 200
    return render(
        request,
        "outreach/event_detail.html",
        {
            "event": event,
            "form": form,
            "seats_left": selectors.seats_left(event),
            "signup_open": event.signup_is_open(),
            "now": timezone.now(),
        },
        status=status,
    )


def _qr_svg(registration: Registration) -> str:
    return segno.make(registration_link(registration), error="m").svg_inline(
        scale=5, border=2, title=_("签到二维码")
    )


@never_cache
@require_http_methods(["GET", "POST"])
def registration_manage(request, code: str):
    registration = access.registration_for_code(code)
    if request.method == "POST":
        try:
            registration_cancel(registration=registration, by_registrant=True)
        except ValidationError as exc:
            for message in exc.messages:
                messages.error(request, message)
        else:
            messages.success(request, _("报名已取消。"))
        return redirect(registration)
    event = registration.event
    response = render(
        request,
        "outreach/registration_manage.html",
        {
            "registration": registration,
            "event": event,
            "link": registration_link(registration),
            "qr_svg": _qr_svg(registration),
            "position": selectors.waiting_position(registration),
            "cutoff": cancel_cutoff(event),
            "can_cancel": registration.status
            in (Registration.Status.CONFIRMED, Registration.Status.WAITLISTED)
            and timezone.now() < cancel_cutoff(event),
        },
    )
    response["X-Robots-Tag"] = "noindex"
    return response


@never_cache
@require_GET
def registration_qr(request, code: str):
    registration = access.registration_for_code(code)
    response = HttpResponse(
        segno.make(registration_link(registration), error="m").svg_inline(scale=8, border=2),
        content_type="image/svg+xml",
    )
    response["X-Robots-Tag"] = "noindex"
    return response


def _ics_response(content: bytes, filename: str) -> HttpResponse:
    response = HttpResponse(content, content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = f'inline; filename="{filename}"'
    return response


@require_GET
def event_ics(request, pk: int):
    event = access.event_for_user(request.user, pk)
    return _ics_response(ical.calendar_for([event], name=event.title), f"event-{event.pk}.ics")


@require_GET
def events_feed(request):
    events = selectors.events_for_feed()
    name = _("%(site)s科普活动") % {"site": settings.SITE_NAME}
    return _ics_response(ical.calendar_for(events, name=name), "events.ics")


@require_GET
def campaign_feed(request, pk: int):
    campaign = get_object_or_404(Campaign, pk=pk)
    events = selectors.events_for_feed(campaign=campaign)
    return _ics_response(ical.calendar_for(events, name=campaign.name), f"campaign-{pk}.ics")


@require_GET
def venue_list(request):
    venue_filter = VenueFilter(request.GET, queryset=selectors.venues_public())
    return render(
        request,
        "outreach/venue_list.html",
        {
            "filter": venue_filter,
            "page": _page(request, venue_filter.qs, per_page=24),
            "query": _query_without_page(request),
        },
    )


@require_GET
def venue_detail(request, pk: int):
    venue = selectors.venue_detail(pk=pk)
    if venue is None:
        raise Http404
    return render(
        request,
        "outreach/venue_detail.html",
        {"venue": venue, "events": selectors.upcoming_events_at_venue(venue=venue)},
    )
