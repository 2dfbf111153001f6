"""Sending the 科协帮's messages through the outbox.

Each message names its occasion in a dedupe key, so that a sweep running
twice, or two workers at once, still notify each occasion exactly once.
"""

from django.conf import settings
from django.urls import reverse

from kexie.platform.accounts.models import User
from kexie.platform.outbox.models import Notification
from kexie.platform.outbox.services import notification_create, notify_user, user_reachable


def absolute(path: str) -> str:
    return f"{settings.SITE_URL}{path}"


def need_url(need) -> str:
    return absolute(reverse("experts:need_detail", args=[need.pk]))


def to_expert(expert, *, template: str, context: dict, dedupe_key: str) -> None:
    """An expert with an account by their account; otherwise at their contact address."""
    context = {"expert": expert, **context}
    if expert.user_id and expert.user.is_active:
        notify_user(expert.user, template=template, context=context, dedupe_key=dedupe_key)
    elif expert.contact_email:
        notification_create(
            channel=Notification.Channel.EMAIL,
            recipient=expert.contact_email,
            template=template,
            context=context,
            dedupe_key=dedupe_key,
            language=expert.language,
        )


def expert_reachable(expert) -> bool:
    """Whether ``to_expert`` has an address to send to."""
    if expert.user_id and expert.user.is_active:
        return user_reachable(expert.user)
    return bool(expert.contact_email)


def enterprise_reachable(enterprise) -> bool:
    """Whether ``to_enterprise`` has anyone to send to."""
    return any(user_reachable(user) for user in enterprise.users.filter(is_active=True))


def to_enterprise(enterprise, *, template: str, context: dict, dedupe_key: str) -> None:
    """Every active user acting for the enterprise, once each."""
    for user in enterprise.users.filter(is_active=True).order_by("pk"):
        notify_user(
            user,
            template=template,
            context={"enterprise": enterprise, **context},
            dedupe_key=f"{dedupe_key}:user:{user.pk}",
        )


def to_staff(*, template: str, context: dict, dedupe_key: str) -> None:
    """Every active member of the association's staff, once each."""
    staff = User.objects.filter(is_active=True, is_staff=True, role=User.Role.STAFF).order_by("pk")
    for user in staff:
        notify_user(
            user, template=template, context=context, dedupe_key=f"{dedupe_key}:user:{user.pk}"
        )
