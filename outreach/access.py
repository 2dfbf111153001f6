"""Who may see or change which outreach records.

Visitors see published, cancelled and finished events; drafts exist only for
the staff and the managers of the organiser. Changing an event's sign-ups is
for the association staff and the organiser's managers.
"""

from django.core.exceptions import PermissionDenied
from django.http import Http404

from members.access import org_scope_for_user
from outreach import selectors
from outreach.models import Event, FeedbackInvitation, LectureRequest, Registration


def can_manage_event(user, event: Event) -> bool:
    """May the user see and change this event and its sign-ups (check-in, list)?"""
    if not user.is_authenticated:
        return False
    if user.is_association_staff:
        return True
    if not user.is_org_manager:
        return False
    scope = org_scope_for_user(user)
    return scope.covers_society(event.society_id) or scope.covers_branch(event.branch_id)


def event_for_user(user, pk: int, *, detail: bool = True) -> Event:
    """An event with seats annotated, for its public page; with
    ``detail=False`` the event's own row only (a sign-up that is not shown
    the page again needs no more)."""
    event = selectors.event_detail(pk=pk) if detail else selectors.event_row(pk=pk)
    if event is None:
        raise Http404
    if not event.is_public and not can_manage_event(user, event):
        raise Http404
    return event


def event_for_sign_up(user, pk: int) -> Event:
    """The event a sign-up is posted to, as ``event_for_user`` decides who
    may see it, with the columns a sign-up reads only."""
    event = selectors.event_to_sign_up(pk=pk)
    if event is None:
        raise Http404
    if not event.is_public and not can_manage_event(user, event):
        raise Http404
    return event


def event_for_manager(user, pk: int, *, detail: bool = True) -> Event:
    """An event whose sign-ups the user may see and change: 404 for a draft
    they must not know about, 403 for a public event of another organiser.
    With ``detail=False`` its own row only."""
    event = selectors.event_detail(pk=pk) if detail else selectors.event_row(pk=pk)
    if event is None:
        raise Http404
    if can_manage_event(user, event):
        return event
    if not event.is_public:
        raise Http404
    raise PermissionDenied


def registration_for_code(code: str) -> Registration:
    """The sign-up behind a private link; a wrong code is simply not found."""
    registration = selectors.registration_by_code(code=code)
    if registration is None:
        raise Http404
    return registration


def lecture_request_for_code(code: str) -> LectureRequest:
    """The lecture request behind its private status link."""
    lecture_request = selectors.lecture_request_by_code(code=code)
    if lecture_request is None:
        raise Http404
    return lecture_request


def registration_for_manager(user, event: Event, pk) -> Registration:
    """A sign-up of an event the user manages (the event was checked first)."""
    registration = Registration.objects.filter(event=event, pk=pk).first()
    if registration is None:
        raise Http404
    return registration


def feedback_invitation_for_token(token: str) -> FeedbackInvitation:
    """The survey link of one attendee; a wrong token is simply not found."""
    invitation = (
        FeedbackInvitation.objects.select_related("registration__event").filter(token=token).first()
    )
    if invitation is None:
        raise Http404
    return invitation
