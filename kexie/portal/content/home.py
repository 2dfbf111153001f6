"""The content app's blocks on the home page and on the staff workbench."""

from kexie.portal.content import selectors
from kexie.portal.workbench.registry import scope_for


def _columns(request) -> list:
    # Both home blocks show the same two queries' worth of articles.
    if not hasattr(request, "_content_home_columns"):
        request._content_home_columns = selectors.home_columns()
    return request._content_home_columns


def _lead_and_notices(columns: list) -> tuple:
    """The first column without pinning leads with pictures (工作动态); the
    first that pins is the notice board beside it (通知公告)."""
    lead = next((column for column in columns if not column.allows_pinning), None)
    notices = next((column for column in columns if column.allows_pinning), None)
    return lead, notices


def headlines(request) -> dict:
    lead, notices = _lead_and_notices(_columns(request))
    return {"lead": lead, "notices": notices}


def other_columns(request) -> dict:
    columns = _columns(request)
    shown = _lead_and_notices(columns)
    return {"columns": [column for column in columns if column not in shown]}


def workbench(request) -> dict:
    return selectors.workbench_summary(user=request.user, scope=scope_for(request))
