"""Every model admin, saved unchanged by staff on the sweeps' world: an admin
that may change its record saves it through its door and records who did it
in the history; one that may not answers the post with 403.

With ``test_admin_registry.py`` (which reads each admin's door) this walks the
admin's registry, so a newly registered admin is swept without a line here.
"""

import pytest
from django.contrib import admin
from django.urls import reverse

from tests.sweeps.adminforms import form_data

_REGISTRY = sorted(admin.site._registry, key=lambda model: model._meta.label)

#: Admins whose unchanged form is not a save staff make: the user's form carries
#: the password hash, changed only through its own form.
NOT_SAVED_UNCHANGED = {"accounts.User"}

#: Records whose service refuses an unchanged save, with what staff are told.
REFUSED_UNCHANGED = {
    # The world's first article is published: a change to it is a correction.
    "content.Article": "更正已发布的文章时，请写明更正说明，读者会看到。",
}


@pytest.mark.parametrize("model", _REGISTRY, ids=[model._meta.label for model in _REGISTRY])
def test_staff_saving_a_record_unchanged_goes_through_its_door(sweep_world, client_for, model):
    label = model._meta.label
    obj = model._default_manager.order_by("pk").first()
    if obj is None or label in NOT_SAVED_UNCHANGED:
        return  # nothing of it in the world (listed by the page sweep all the same)
    staff = client_for("staff")
    url = reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_change", args=[obj.pk])
    page = staff.get(url)
    assert page.status_code == 200, label
    if not page.context["has_change_permission"]:
        assert staff.post(url, {}).status_code == 403, label
        return
    history = getattr(model, "history", None)
    before = history.filter(id=obj.pk).count() if history is not None else 0
    saved = staff.post(url, form_data(page), follow=True)
    if label in REFUSED_UNCHANGED:
        assert REFUSED_UNCHANGED[label] in saved.content.decode()
        assert history.filter(id=obj.pk).count() == before
        return
    errors = saved.context.get("errors") if saved.context else None
    assert saved.redirect_chain, f"{label}: {errors}"
    if history is not None:
        rows = history.filter(id=obj.pk).order_by("-history_date", "-history_id")
        assert rows.count() == before + 1, label
        assert rows.first().history_user == sweep_world["users"]["staff"], label
