"""Every model admin has a door, found by walking the admin's registry.

A model admin registered without one fails here: its writes (the change form,
the add form, delete, inline rows) either go through a service, are refused,
or belong to a model listed below as having no rule beyond its own validation;
each action other than Django's "delete selected" is a ``service_action``; and
everything staff may change keeps a history that the admin shows.
"""

import pytest
from django.contrib import admin
from django.contrib.admin import ModelAdmin
from django.contrib.admin.options import InlineModelAdmin
from django.test import RequestFactory
from simple_history.admin import SimpleHistoryAdmin

from kexie.platform.lib.admin_doors import ServiceAdminMixin

#: Records whose only rules are the model's own validation (``full_clean``, which
#: the admin's form runs), so the form's save is the service's. Each says why.
PLAIN_RECORDS = {
    "members.Town": "the reference list (members/data/towns.json); names and order only",
    "members.OrgManager": "who manages what; a unique pair, no workflow",
    "members.Honor": "an honour given; no workflow",
    "members.Partner": "a partner's card; no workflow",
    "members.Agreement": "an agreement's dates and parties; no workflow",
    "members.JointActivity": "a joint activity's record; no workflow",
    "experts.Discipline": "the national discipline codes",
    "experts.Enterprise": "an enterprise's card; verified only by the action (read-only)",
    "outreach.Registration": "a registrant's name and e-mail; seats and status read-only",
    "outreach.SurveyQuestion": "a question of a survey",
    "outreach.EventSession": "a session's times; event_sync_sessions runs after the rows",
    "outreach.VenuePhoto": "a photo of a venue",
    "experts.Keyword": "the shared vocabulary, approved here by staff",
    "experts.Achievement": "an achievement's card (achievement_save is full_clean and save)",
    "experts.Workstation": "a workstation's card (workstation_save is full_clean and save)",
    "experts.WorkstationReview": "a yearly review; one a year is a database constraint",
    "outreach.Venue": "a venue's card",
    "outreach.Campaign": "a campaign's name and years",
    "outreach.Audience": "the fixed list of audiences (no add, no delete)",
    "outreach.SpeakerTeam": "a team and its topics; requests are answered by actions",
    "outreach.Survey": "the questions of a feedback survey; answers never reach the admin",
    "content.Column": "a column's name and order",
    "content.Tag": "a tag's name",
    "workdays.CalendarDay": "a holiday or a worked weekend day, as announced",
    "accounts.User": "an account; passwords through Django's own password form",
}

#: Records deleted by Django's own delete: the database protects what depends on
#: them (PROTECT), and nothing else decides whether they may go.
PLAIN_DELETES = {
    "members.Society": "its contest projects are protected; positions and honours go with it",
    "members.Branch": "its sub-branches are protected; positions and honours go with it",
    "members.Person": "an entry of the directory; positions and honours go with it",
    "members.Position": "a term of office",
    "members.ContestProject": "a contest entry and its progress notes",
}

#: Inline rows staff may delete with Django's own delete: nothing their owner
#: keeps (a total, a lock, a history of its own) depends on them.
PLAIN_ROW_DELETES = {
    "members.ProgressUpdate": "a progress note; removing one loosens no rule of its project",
    "outreach.EventRecapPhoto": "a photo of a recap; recap_save, run with the form, records who",
}

#: Admins of libraries, kept as they ship.
LIBRARIES = {"auth.Group", "axes.AccessAttempt", "axes.AccessFailureLog", "axes.AccessLog"}

pytestmark = pytest.mark.django_db

_REGISTRY = sorted(admin.site._registry.items(), key=lambda item: item[0]._meta.label)
EACH_ADMIN = pytest.mark.parametrize(
    ("model", "model_admin"), _REGISTRY, ids=[model._meta.label for model, _a in _REGISTRY]
)


def _project_override(obj, name: str) -> bool:
    """Whether ``name`` is defined by the project's code, not Django's or a library's."""
    for cls in type(obj).__mro__:
        if name in vars(cls):
            return cls.__module__.split(".")[0] in {"kexie", "members", "outreach", "experts"}
    return False


def _saves_through_service(model_admin) -> bool:
    if isinstance(model_admin, ServiceAdminMixin) and model_admin.save_service is not None:
        return True
    return _project_override(model_admin, "save_model") and not (
        isinstance(model_admin, ServiceAdminMixin)
        and "save_model" in vars(ServiceAdminMixin)
        and type(model_admin).save_model is ServiceAdminMixin.save_model
    )


def _deletes_through_service(model_admin) -> bool:
    if isinstance(model_admin, ServiceAdminMixin):
        return model_admin.delete_service is not None
    return _project_override(model_admin, "delete_model") and _project_override(
        model_admin, "delete_queryset"
    )


def _own_save_formset(model_admin) -> bool:
    """Whether the admin writes its rows by its own ``save_formset`` (services row by row)."""
    if isinstance(model_admin, ServiceAdminMixin):
        return type(model_admin).save_formset is not ServiceAdminMixin.save_formset
    return _project_override(model_admin, "save_formset")


def _inline_rows_through_service(model_admin, inline) -> bool:
    if isinstance(model_admin, ServiceAdminMixin) and inline.model in model_admin.formset_services:
        return True
    return _own_save_formset(model_admin)


def _inline_deletes_through_service(model_admin, inline) -> bool:
    if (
        isinstance(model_admin, ServiceAdminMixin)
        and inline.model in model_admin.formset_delete_services
    ):
        return True
    return _own_save_formset(model_admin)


@pytest.fixture
def staff_request(staff_user):
    request = RequestFactory().get("/admin/")
    request.user = staff_user
    return request


def _label(model) -> str:
    return model._meta.label


def _writes(model_admin, request) -> dict:
    inline = isinstance(model_admin, InlineModelAdmin)
    return {
        "add": model_admin.has_add_permission(request, None)
        if inline
        else model_admin.has_add_permission(request),
        "change": model_admin.has_change_permission(request),
        "delete": model_admin.has_delete_permission(request),
    }


@EACH_ADMIN
def test_every_admin_writes_through_a_door(staff_request, model, model_admin):
    label = _label(model)
    if label in LIBRARIES:
        return
    writes = _writes(model_admin, staff_request)
    plain = label in PLAIN_RECORDS
    if writes["add"] or writes["change"]:
        assert plain or _saves_through_service(model_admin), f"{label}: save bypasses services"
    if writes["delete"]:
        assert plain or label in PLAIN_DELETES or _deletes_through_service(model_admin), (
            f"{label}: delete bypasses services"
        )
    for inline in model_admin.get_inline_instances(staff_request):
        inline_writes = _writes(inline, staff_request)
        if any(inline_writes.values()):
            assert (
                plain
                or _label(inline.model) in PLAIN_RECORDS
                or _inline_rows_through_service(model_admin, inline)
            ), f"{label}: rows of {_label(inline.model)} bypass services"
        if inline_writes["delete"]:
            # A row marked for deletion goes through the service owning it too.
            assert (
                plain
                or _label(inline.model) in PLAIN_RECORDS
                or _label(inline.model) in PLAIN_DELETES
                or _label(inline.model) in PLAIN_ROW_DELETES
                or _inline_deletes_through_service(model_admin, inline)
            ), f"{label}: deleted rows of {_label(inline.model)} bypass services"


@EACH_ADMIN
def test_rows_edited_on_a_list_are_saved_through_a_door(model, model_admin):
    # ``list_editable`` saves each row by ``save_model``, as the change form does.
    if not model_admin.list_editable:
        return
    assert _label(model) in PLAIN_RECORDS or _saves_through_service(model_admin), _label(model)


@EACH_ADMIN
def test_every_action_calls_a_service(staff_request, model, model_admin):
    if _label(model) in LIBRARIES:
        return
    for name, (action, _name, _description) in model_admin.get_actions(staff_request).items():
        if name == "delete_selected":
            continue  # ends in delete_queryset, checked above
        assert getattr(action, "through_service", None), f"{_label(model)}.{name}"


@EACH_ADMIN
def test_what_staff_may_change_keeps_its_history(staff_request, model, model_admin):
    if _label(model) in LIBRARIES:
        return
    writable = [model_admin] if any(_writes(model_admin, staff_request).values()) else []
    writable += [
        inline
        for inline in model_admin.get_inline_instances(staff_request)
        if any(_writes(inline, staff_request).values())
    ]
    for door in writable:
        assert hasattr(door.model, "history"), f"{_label(door.model)} has no change history"
    if writable:
        assert isinstance(model_admin, SimpleHistoryAdmin), f"{_label(model)}: no history page"


def test_no_admin_is_left_unregistered_or_unlisted():
    labels = {_label(model) for model in admin.site._registry}
    inline_only = {
        "outreach.SurveyQuestion",
        "outreach.EventSession",
        "outreach.ReachEntry",
        "outreach.VenuePhoto",
    }
    assert set(PLAIN_RECORDS) - inline_only <= labels
    assert set(PLAIN_DELETES) <= labels
    assert labels >= LIBRARIES
    assert ModelAdmin  # the base every check above compares with
