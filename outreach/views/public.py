"""Pages for visitors: events, sign-up, the private sign-up page, venues,
calendar files."""

from datetime import date
from urllib.parse import urlencode

import segno
from django.conf import settings
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.middleware.csrf import get_token
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_safe

from kexie.platform import limits
from kexie.platform.lib import antibot, confirm, pagecache
from kexie.platform.lib.pagecache import public_page
from kexie.platform.lib.site import site_name
from kexie.platform.lib.validators import normalize_phone
from kexie.platform.privacy.services import consent_record
from outreach import access, cards, ical, selectors, signup_code, upcoming
from outreach.filters import EventFilter, VenueFilter
from outreach.forms import SignUpForm
from outreach.models import Campaign, Event, Registration
from outreach.services.feedback import feedback_submit, survey_for_kind
from outreach.services.notices import registration_link
from outreach.services.registrations import (
    cancel_cutoff,
    is_duplicate_phone,
    party_limit,
    registration_cancel,
    registration_create,
)


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


class CappedPaginator(Paginator):
    """Pages of ids read in one query (no count apart), no further than
    ``CAP`` rows, or the page after the one asked for when that is further:
    the list says "more than 1,000" rather than counting thousands of rows on
    every request, and every page stays reachable by its next link.
    ``first_ids(queryset, limit)`` reads them (``selectors.first_ids``, or
    the coming events' kept ids, ``outreach.upcoming``)."""

    CAP = 1000
    MAX_PAGE = 100_000

    def __init__(self, queryset, per_page: int, *, wanted: str | None = None, first_ids=None):
        try:
            # A page number past any real list is clamped, so the LIMIT stays
            # an integer the database takes (2**70 is not one).
            self.wanted = min(max(int(wanted or 1), 1), self.MAX_PAGE)
        except ValueError:
            self.wanted = 1
        limit = max(self.CAP, (self.wanted + 1) * per_page)
        found = (first_ids or selectors.first_ids)(queryset, limit + 1)
        self.capped = len(found) > limit
        super().__init__(found[:limit], per_page)


def _capped_page(request, queryset, first_ids=None):
    wanted = request.GET.get("page")
    paginator = CappedPaginator(
        queryset, settings.OUTREACH_EVENTS_PER_PAGE, wanted=wanted, first_ids=first_ids
    )
    return paginator.get_page(wanted)


def _query_without_page(request) -> str:
    query = request.GET.copy()
    query.pop("page", None)
    return query.urlencode()


@require_safe
@public_page(
    "outreach",
    "members",
    "pictures",
    # EventFilter's fields, the list's tab and its pages.
    params={
        "q": pagecache.TEXT,
        "date_from": pagecache.DATE,
        "date_to": pagecache.DATE,
        "town": pagecache.ID,
        "audience": pagecache.ID,
        "kind": pagecache.CHOICE,
        "campaign": pagecache.ID,
        "venue": pagecache.ID,
        "when": "past",
        "page": pagecache.PAGE,
    },
)
def event_list(request):
    past = request.GET.get("when") == "past"
    # The generations the kept ids, chips and form are under, read first.
    stamp = upcoming.stamp()
    now = timezone.now()
    made = {}

    def base():
        if "base" not in made:
            made["base"] = selectors.event_list_base(past=past, now=now)
        return made["base"]

    def filtered() -> EventFilter:
        # Made only when the chips and form or the ids must be read again.
        if "filter" not in made:
            made["filter"] = EventFilter(
                request.GET, queryset=base(), choices=selectors.filter_choices()
            )
        return made["filter"]

    filters = {}
    if set(request.GET) <= {"when", "page"}:
        # The list as first opened: no filter to apply, and its chips and
        # filter form the same for every visitor (kept, outreach.cards).
        query = ""
        kept = cards.list_filters(past, render=lambda: _filters(request, past, base()), stamp=stamp)
    elif pagecache.declared_query(request, event_list.page_cache_params):
        # Chips and form follow from the query alone: kept per query.
        query = urlencode(
            sorted((name, value) for name, value in request.GET.items() if name != "page")
        )
        kept = cards.list_filters(
            past,
            query=query,
            render=lambda: _filters(request, past, base(), filtered()),
            stamp=stamp,
        )
    else:  # junk in the query: rendered, never kept
        query = None
        filters, kept = _filters(request, past, base(), filtered()), None
    if query is None or past:
        # Junk, or past events (the clock adds to their top): read each time.
        page = _capped_page(request, filtered().qs if query != "" else base())
    else:
        # Paginate narrow rows (the ids up to the count's cap, kept while
        # nothing they are drawn from changes: outreach.upcoming), then show
        # the twenty cards, each rendered once per event and kept
        # (outreach.cards): the database sorts ids, not whole events.
        page = _capped_page(
            request,
            None,
            first_ids=lambda _queryset, limit: upcoming.first_ids(
                lambda: filtered().qs if query else base(),
                limit,
                key=("list", query),
                now=now,
                stamp=stamp,
            ),
        )
    return render(
        request,
        "outreach/event_list.html",
        {
            **filters,
            "kept": kept,
            "page": page,
            "cards": cards.event_cards(list(page.object_list), past=past),
            "past": past,
            "query": _query_without_page(request),
        },
    )


def _filters(request, past: bool, base, found: EventFilter | None = None) -> dict:
    """The filter set on ``base`` (``found`` when already made) and what the
    list's chips and form show."""
    choices = found.choices if found is not None else selectors.filter_choices()
    return {
        "filter": found or EventFilter(request.GET, queryset=base, choices=choices),
        "past": past,
        "chips": [] if past else _quick_choices(request),
        "towns": [] if past else _town_choices(request, choices["towns"]),
        "more_filters": _more_filters_chosen(request),
    }


def _toggled(request, key: str, value: str) -> str:
    """The list's query with ``key=value`` set, or removed when already set,
    the page dropped; encoded as ``QueryDict.urlencode`` does, without copying
    the QueryDict for each of a dozen chips (a tenth of a filtered list)."""
    lists = [(name, values) for name, values in request.GET.lists() if name != "page"]
    if request.GET.get(key) == value:
        lists = [(name, values) for name, values in lists if name != key]
    elif key in request.GET:
        lists = [(name, [value] if name == key else values) for name, values in lists]
    else:
        lists.append((key, [value]))
    encoded = urlencode([(name, item) for name, values in lists for item in values])
    return "?" + encoded if encoded else "?"


def _quick_choices(request) -> list[dict]:
    """Chips: one tap to this weekend, this month, or events for children."""
    return [
        {
            "label": label,
            "url": _toggled(request, key, value),
            "active": request.GET.get(key) == value,
        }
        for key, choices in (("period", EventFilter.PERIODS), ("who", EventFilter.WHO))
        for value, label in choices
    ]


def _town_choices(request, towns: list[tuple[int, str]]) -> list[dict]:
    current = request.GET.get("town", "")
    return [
        {
            "label": name,
            "url": _toggled(request, "town", str(pk)),
            "active": current == str(pk),
        }
        for pk, name in towns
    ]


# Filters shown only in the folded full form (the chips cover the others).
_FOLDED = ("q", "date_from", "date_to", "audience", "kind", "campaign", "venue")


def _more_filters_chosen(request) -> bool:
    return any(request.GET.get(name) for name in _FOLDED)


def _month_from(value: str | None):
    today = timezone.localdate()
    try:
        year, month = (int(part) for part in (value or "").split("-"))
        if 1900 <= year <= 2100 and 1 <= month <= 12:
            return year, month
    except ValueError:
        pass
    return today.year, today.month


@require_safe
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
            "has_items": any(day.items for week in weeks for day in week if day.in_month),
            "year": year,
            "month": month,
            # The heading's month, as each language writes one.
            "first_day": date(year, month, 1),
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


@require_http_methods(["GET", "HEAD", "POST"])
@public_page("outreach", "members", "pictures")
def event_detail(request, pk: int):
    if request.method == "GET" and not request.user.is_authenticated:
        return _event_page_kept(request, pk)
    # A sign-up that succeeds is redirected: the page's seats, sessions and
    # audiences are loaded only when the page is shown.
    if request.method == "POST":
        event = access.event_for_sign_up(request.user, pk)
    else:
        event = access.event_for_user(request.user, pk)
    short = held = None
    if request.method == "POST":
        form = SignUpForm(request.POST, event=event)
        status = 400
        bot = antibot.refusal(request.POST)
        if bot and form.is_valid():
            # Refused with what was typed kept, and why.
            form.add_error(None, bot)
        if form.is_valid():
            # Popular events: the number proven by a code first (off by default).
            held = signup_code.phone_check(request, event, form)
            status = held or status
        taken = None
        if form.is_valid() and not held:
            # Counted now, given back below unless a sign-up is made: a family
            # that mistypes is not held up.
            recipients = [normalize_phone(form.cleaned_data["phone"]), form.cleaned_data["email"]]
            try:
                taken = limits.take(request, "signup", key=recipients)
            except limits.RateLimited as exc:
                form.add_error(None, exc.message)
                status = 429
        if taken is not None:
            # Submitting under the notice shown with the form is the consent,
            # recorded with the sign-up.
            try:
                # Their messages in the language of the page they signed up on.
                registration, short = sign_up_from_form(
                    request,
                    event,
                    form,
                    user=request.user,
                    consent_notice="signup",
                    language=request.LANGUAGE_CODE,
                )
            except BaseException:
                taken.give_back()
                raise
            if registration is not None:
                signed_up_message(request, registration)
                return redirect(registration)
            taken.give_back()
            if short:
                status = 200
        event = access.event_for_user(request.user, pk)
        form.describe(event)
    else:
        form = SignUpForm(initial=_signup_initial(request.user), event=event)
        status = 200
    return render(
        request,
        "outreach/event_detail.html",
        {
            "event": event,
            "main": cards.event_main(event),
            "form": form,
            "short": short,
            "seats_left": selectors.seats_left(event),
            "party_limit": party_limit(event),
            "signup_open": event.signup_is_open(),
            "now": timezone.now(),
        },
        status=status,
    )


def _event_page_kept(request, pk: int):
    """An anonymous visitor's event page: its row, then both columns as kept
    apart (outreach.cards), the sign-up form with the visitor's own CSRF token."""
    pagecache.depends_on(selectors.event_dependency(pk))
    event = access.event_for_user(request.user, pk, detail=False)
    main, signup = cards.event_columns(event)
    signup = signup.replace(cards.CSRF_PLACEHOLDER, get_token(request))
    return render(
        request,
        "outreach/event_detail.html",
        {"event": event, "main": main, "signup": mark_safe(signup)},  # noqa: S308
    )


def sign_up_from_form(
    request,
    event,
    form,
    *,
    user=None,
    enforce_window=True,
    consent_notice: str = "",
    language: str = "",
):
    """Sign up from a valid form, with the registrant's answer to "fewer seats
    left than asked" (``if_short``: ``fewer`` or ``waitlist``), if any.

    Returns ``(registration, None)``, or ``(None, {"left", "asked"})`` when
    the party does not fit and the registrant is to choose, or ``(None,
    None)`` with the service's errors put on the form. ``language``: the one
    the registrant's messages are written in.
    """
    choice = request.POST.get("if_short", "")
    party_size = form.cleaned_data["party_size"]
    if choice == "fewer":
        party_size = request.POST.get("fewer", "")
        # The form shows the size actually asked for, should it come back.
        form.data = form.data.copy()
        form.data["party_size"] = party_size
    try:
        registration = registration_create(
            event=event,
            user=user,
            name=form.cleaned_data["name"],
            phone=form.cleaned_data["phone"],
            party_size=party_size,
            email=form.cleaned_data["email"],
            enforce_window=enforce_window,
            waitlist_when_short=choice == "waitlist",
            consent_notice=consent_notice,
            language=language,
        )
    except ValidationError as exc:
        if getattr(exc, "code", None) == "seats_short":
            return None, {**exc.params, "message": exc.messages[0]}
        # Signed up already: the page points to finding the private link again.
        form.duplicate_phone = is_duplicate_phone(exc)
        add_service_errors(form, exc)
        return None, None
    return registration, None


def signed_up_message(request, registration: Registration) -> None:
    if registration.status == Registration.Status.WAITLISTED:
        messages.warning(
            request,
            ngettext(
                "您已进入候补名单（%(size)s人）。有空位时会按顺序转正并通知您。",
                "您已进入候补名单（%(size)s人）。有空位时会按顺序转正并通知您。",
                registration.party_size,
            )
            % {"size": registration.party_size},
        )
    else:
        messages.success(request, _("报名成功！请保存下面的报名链接和二维码。"))


def _qr_svg(registration: Registration) -> str:
    return segno.make(registration_link(registration), error="m").svg_inline(
        scale=5, border=2, title=_("签到二维码")
    )


@never_cache
@require_http_methods(["GET", "HEAD", "POST"])
def registration_manage(request, code: str):
    registration = access.registration_for_code(code)
    if request.method == "POST":
        # A cancel form of an older page: it asks, like the cancel page.
        return registration_cancel_by_registrant(request, code)
    event = registration.event
    live = registration.is_live
    # The door's code is for the door: not once the event is over or called off.
    at_the_door = (
        registration.has_seat and not event.is_past and event.status != Event.Status.CANCELLED
    )
    response = render(
        request,
        "outreach/registration_manage.html",
        {
            "registration": registration,
            "event": event,
            "link": registration_link(registration),
            "qr_svg": _qr_svg(registration) if at_the_door else "",
            "aftercare": selectors.registration_aftercare(registration),
            "position": selectors.waiting_position(registration),
            "cutoff": cancel_cutoff(event),
            "live": live,
            "can_cancel": registration.status
            in (Registration.Status.CONFIRMED, Registration.Status.WAITLISTED)
            and timezone.now() < cancel_cutoff(event),
            "signup_open": not live and event.signup_is_open(),
        },
    )
    response["X-Robots-Tag"] = "noindex"
    return response


@never_cache
@require_http_methods(["GET", "HEAD", "POST"])
def registration_cancel_by_registrant(request, code: str):
    """Cancelling from the private link: a page that asks, then the cancel."""
    registration = access.registration_for_code(code)
    if registration.status == Registration.Status.CANCELLED:
        messages.info(request, _("该报名已经取消。"))
        return redirect(registration)
    if not confirm.confirmed(request):
        event = registration.event
        response = confirm.ask(
            request,
            title=_("取消报名"),
            question=_("确定取消这次报名吗？取消后名额会让给候补的人，不能恢复。"),
            details=[
                (_("活动"), event.title),
                (_("时间"), date_format(timezone.localtime(event.starts_at), "DATETIME_FORMAT")),
                (_("人数"), str(registration.party_size)),
            ],
            back_url=registration.get_absolute_url(),
            confirm_label=_("确认取消报名"),
        )
        response["X-Robots-Tag"] = "noindex"
        return response
    try:
        registration_cancel(registration=registration, by_registrant=True)
    except ValidationError as exc:
        for message in exc.messages:
            messages.error(request, message)
    else:
        messages.success(request, _("报名已取消。"))
    return redirect(registration)


@never_cache
@require_safe
def registration_qr(request, code: str):
    """The door's QR code: only for a sign-up that holds seats."""
    registration = access.registration_for_code(code)
    if not registration.has_seat:
        raise Http404
    response = HttpResponse(
        segno.make(registration_link(registration), error="m").svg_inline(scale=8, border=2),
        content_type="image/svg+xml",
    )
    response["X-Robots-Tag"] = "noindex"
    return response


@never_cache
@require_safe
def registration_ics(request, code: str):
    """The event in a calendar, from a live sign-up; a cancelled one has none."""
    registration = access.registration_for_code(code)
    if not registration.is_live:
        raise Http404
    event = access.event_for_user(request.user, registration.event_id)
    waitlisted = registration.status == Registration.Status.WAITLISTED
    response = _ics_response(
        ical.calendar_for([event], name=event.title, waitlisted=waitlisted),
        f"event-{event.pk}.ics",
    )
    response["X-Robots-Tag"] = "noindex"
    return response


def _ics_response(content: bytes, filename: str) -> HttpResponse:
    response = HttpResponse(content, content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = f'inline; filename="{filename}"'
    return response


@require_safe
def event_ics(request, pk: int):
    event = access.event_for_user(request.user, pk)
    return _ics_response(ical.calendar_for([event], name=event.title), f"event-{event.pk}.ics")


@require_safe
def events_feed(request):
    events = selectors.events_for_feed()
    name = _("%(site)s科普活动") % {"site": site_name()}
    return _ics_response(ical.calendar_for(events, name=name), "events.ics")


@require_safe
def campaign_feed(request, pk: int):
    campaign = get_object_or_404(Campaign, pk=pk)
    events = selectors.events_for_feed(campaign=campaign)
    return _ics_response(ical.calendar_for(events, name=campaign.name), f"campaign-{pk}.ics")


@require_safe
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


@require_safe
def venue_detail(request, pk: int):
    venue = selectors.venue_detail(pk=pk)
    if venue is None:
        raise Http404
    return render(
        request,
        "outreach/venue_detail.html",
        {"venue": venue, "events": selectors.upcoming_events_at_venue(venue=venue)},
    )


RATING_CHOICES = [
    ("1", gettext_lazy("很不满意")),
    ("2", gettext_lazy("不满意")),
    ("3", gettext_lazy("一般")),
    ("4", gettext_lazy("满意")),
    ("5", gettext_lazy("很满意")),
]


@never_cache
@require_http_methods(["GET", "HEAD", "POST"])
def feedback(request, token: str):
    """The survey behind the link an attendee received; a wrong token is not
    found, with a page that says what to check (a link cut short in a text
    message is the usual cause)."""
    try:
        invitation = access.feedback_invitation_for_token(token)
    except Http404:
        response = render(request, "outreach/feedback_missing.html", status=404)
        response["X-Robots-Tag"] = "noindex"
        return response
    event = invitation.registration.event
    survey = survey_for_kind(event.kind)
    errors, data, status = {}, {}, 200
    if request.method == "POST" and invitation.answered_at is None:
        data = request.POST
        try:
            answers = feedback_submit(invitation=invitation, data=request.POST)
        except ValidationError as exc:
            if hasattr(exc, "error_dict"):
                errors = {key: value[0].messages[0] for key, value in exc.error_dict.items()}
            else:
                errors = {"__all__": exc.messages[0]}
            status = 400
        else:
            consent_record(notice_key="feedback", record=answers)
            messages.success(request, _("已收到您的反馈，谢谢！"))
            return redirect("outreach:feedback", token=token)
    questions = [
        {
            "question": question,
            "name": f"q{question.pk}",
            "value": data.get(f"q{question.pk}", ""),
            "error": errors.get(f"q{question.pk}"),
        }
        for question in survey.questions.all()
    ]
    response = render(
        request,
        "outreach/feedback.html",
        {
            "event": event,
            "survey": survey,
            "questions": questions,
            "error": errors.get("__all__"),
            "answered": invitation.answered_at is not None,
            "rating_choices": RATING_CHOICES,
            "registration": invitation.registration,
        },
        status=status,
    )
    response["X-Robots-Tag"] = "noindex"
    return response
