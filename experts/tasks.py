"""The 科协帮's periodic sweeps; their schedule is in ``kexie.celery``."""

from celery import shared_task

from experts.services import matching, reminders


@shared_task
def invitation_reminder() -> int:
    return reminders.invitation_reminder()


@shared_task
def rating_reminder() -> int:
    return reminders.rating_reminder()


@shared_task
def weekly_digest() -> int:
    return reminders.weekly_digest()


@shared_task
def recommendations_refresh() -> int:
    return reminders.recommendations_refresh_all()


@shared_task
def recommendation_events_record() -> int:
    """Record what became of recommendations (invited, responded, accepted, rated)."""
    from experts.matching.outcomes import recommendation_events_sync

    return recommendation_events_sync()


@shared_task
def need_vector_prepare(need_id: int) -> bool:
    """A submitted need's vector, encoded before staff open it."""
    return matching.need_vector_prepare(need_id=need_id)


@shared_task
def entry_vectors_prepare() -> int:
    """The vocabulary entries' vectors a page left for later (a new model, an import)."""
    from experts.matching.index import entry_vectors_prepare as prepare

    return prepare()
