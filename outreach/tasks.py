from celery import shared_task

from outreach.services import feedback, notices


@shared_task(ignore_result=True)
def notice_sweep() -> int:
    """Periodic: reminders, promotions, cancellations and moves that are due."""
    return notices.notice_sweep()


@shared_task(ignore_result=True)
def send_event_notices(event_id: int) -> int:
    return notices.notice_sweep(event_id=event_id)


@shared_task(ignore_result=True)
def feedback_sweep() -> int:
    """Periodic: the survey link to attendees of events just over."""
    return feedback.feedback_sweep()
