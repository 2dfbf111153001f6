"""The only writers of the association's profile: staff's admin, seed_demo."""

from django.db import transaction
from django.utils.translation import gettext_lazy as _

from kexie.portal.about.models import PROFILE_ID, Department, Profile
from kexie.portal.content.sanitize import clean_html


def profile_get_or_new() -> Profile:
    """The profile, or a new empty one for staff to fill in."""
    return Profile.objects.filter(pk=PROFILE_ID).first() or Profile(pk=PROFILE_ID)


@transaction.atomic
def profile_save(*, profile: Profile, by, reason: str | None = None) -> Profile:
    """Validate and save the profile, leaving a version with who and why.

    The introduction is rich text cleaned by the articles' allow-list
    (``content.sanitize``): no script, style or picture from elsewhere reaches
    the page."""
    profile.pk = PROFILE_ID
    profile.introduction = clean_html(profile.introduction)
    profile.full_clean()
    profile._history_user = by
    profile._change_reason = reason or _("修改本会概况")
    profile.save()
    return profile


def department_save(*, department: Department, by) -> Department:
    department.full_clean()
    department._history_user = by
    department._change_reason = _("修改科室")
    department.save()
    return department


def department_delete(*, department: Department, by) -> None:
    department._history_user = by
    department._change_reason = _("删除科室")
    department.delete()
