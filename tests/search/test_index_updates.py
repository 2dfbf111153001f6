"""The index follows the records: saves and deletes refresh one document."""

import pytest
from django.core.management import call_command

from experts.models import TechNeed
from kexie.portal.search.models import SearchDocument
from outreach.models import Event
from tests.experts.factories import AchievementFactory, ExpertFactory, NeedFactory
from tests.outreach.factories import EventFactory

pytestmark = pytest.mark.django_db


def _indexed(kind, pk) -> bool:
    return SearchDocument.objects.filter(kind=kind, object_id=pk).exists()


def test_publishing_an_event_indexes_it_and_cancelling_removes_it(
    django_capture_on_commit_callbacks,
):
    with django_capture_on_commit_callbacks(execute=True):
        event = EventFactory(title="机器人编程课", status=Event.Status.DRAFT)
    assert not _indexed("event", event.pk)
    with django_capture_on_commit_callbacks(execute=True):
        event.status = Event.Status.PUBLISHED
        event.save()
    assert SearchDocument.objects.get(kind="event", object_id=event.pk).title == "机器人编程课"
    with django_capture_on_commit_callbacks(execute=True):
        event.status = Event.Status.CANCELLED
        event.save()
    assert not _indexed("event", event.pk)


def test_deleting_a_record_removes_its_document(django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        event = EventFactory()
    assert _indexed("event", event.pk)
    pk = event.pk
    with django_capture_on_commit_callbacks(execute=True):
        event.delete()
    assert not _indexed("event", pk)


def test_an_expert_going_private_leaves_the_index_and_their_achievements(
    django_capture_on_commit_callbacks,
):
    with django_capture_on_commit_callbacks(execute=True):
        expert = ExpertFactory(name="赵公开")
        achievement = AchievementFactory(expert=expert)
    assert "赵公开" in SearchDocument.objects.get(kind="achievement", object_id=achievement.pk).body
    with django_capture_on_commit_callbacks(execute=True):
        expert.is_public = False
        expert.save()
    assert not _indexed("expert", expert.pk)
    assert (
        "赵公开"
        not in SearchDocument.objects.get(kind="achievement", object_id=achievement.pk).body
    )


def test_need_appears_once_published(django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        need = NeedFactory()
    assert not _indexed("need", need.pk)
    with django_capture_on_commit_callbacks(execute=True):
        need.status = TechNeed.Status.PUBLISHED
        need.save()
    assert _indexed("need", need.pk)


def test_rebuild_command_indexes_public_records_and_drops_stale_ones():
    event = EventFactory()
    SearchDocument.objects.create(kind="event", object_id=999999, title="旧的", url="/x/")
    call_command("rebuild_search_index", "--batch-size", "1")
    assert _indexed("event", event.pk)
    assert not _indexed("event", 999999)
    call_command("rebuild_search_index")  # re-runnable
    assert SearchDocument.objects.filter(kind="event").count() == 1
