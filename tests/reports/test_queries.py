"""The dashboard runs a fixed number of queries whatever the number of rows."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from members.models import Branch
from outreach.models import Event, Registration
from tests.factories import BranchFactory
from tests.outreach.factories import RegistrationFactory, VenueFactory
from tests.reports.conftest import at, held

# Staff dashboard: the session read with its user (1), then the tables:
# trend 1, campaigns 1, audiences 1, towns 1, organisers 1, youth 2 (reach; sessions),
# venues by kind 1, idle venues 1, registrations 1, branches 1,
# three heads 2 (town branches; their current heads), honours 1, contest 1,
# needs 4 (transitions; first responses; ratings; responses);
# feedback by event 2 (links sent; means), by campaign 2 (the same);
# the choice of organisation 2 (societies; branches).
STAFF_BUDGET = 1 + 19 + 4 + 2
# A manager adds: their organisations (1), the branch tree below theirs (one per
# level: the village below, then nothing: 2), and the scope's name (1); their scope
# holds no society, so the list of societies to choose from needs no query (-1).
MANAGER_BUDGET = STAFF_BUDGET + 4 - 1


def _more_rows(report_data, count):
    for n in range(count):
        branch = BranchFactory(kind=Branch.Kind.VILLAGE, town=report_data.t2, parent=None)
        venue = VenueFactory(town=report_data.t2)
        event = held(at(2025, 1 + n % 12, 1 + n % 28), branch=branch, venue=venue, reach_total=n)
        RegistrationFactory(event=event, status=Registration.Status.ATTENDED, attended_count=1)


def _queries(client, url="/staff/reports/?year=2025"):
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200
    return len(queries)


@pytest.mark.parametrize("extra", [0, 5])
def test_staff_dashboard_query_budget(extra, report_data, staff_client):
    _more_rows(report_data, extra)
    assert _queries(staff_client) == STAFF_BUDGET


def test_staff_dashboard_same_budget_at_200_more_events(report_data, staff_client):
    _more_rows(report_data, 200)
    assert Event.objects.count() > 200
    assert _queries(staff_client) == STAFF_BUDGET
    assert _queries(staff_client, "/staff/reports/?from=2021&to=2025") == STAFF_BUDGET
    # The printable report offers no choice of organisation.
    assert _queries(staff_client, "/staff/reports/annual/?year=2025") == STAFF_BUDGET - 2


@pytest.mark.parametrize("extra", [0, 200])
def test_manager_dashboard_query_budget(extra, report_data, manager_user, login):
    _more_rows(report_data, extra)
    assert _queries(login(manager_user)) == MANAGER_BUDGET
