import datetime
import threading

from django.core.exceptions import ValidationError
from django.db import connection

from members import services
from members.models import Position
from tests.conftest import requires_postgres
from tests.factories import PersonFactory, SocietyFactory


@requires_postgres
def test_two_concurrent_overlapping_terms_cannot_both_be_saved(transactional_db):
    """Closed terms escape the open-term constraint; the lock on the society
    makes the second writer wait and then see the first one's term."""
    society = SocietyFactory()
    people = [PersonFactory(), PersonFactory()]
    barrier = threading.Barrier(2)
    outcomes = []

    def appoint(person, start, end):
        try:
            barrier.wait()
            services.position_create(
                person=person,
                role=Position.Role.PRESIDENT,
                start=start,
                end=end,
                society=society,
            )
            outcomes.append("saved")
        except ValidationError:
            outcomes.append("refused")
        finally:
            connection.close()

    threads = [
        threading.Thread(
            target=appoint, args=(people[0], datetime.date(2020, 1, 1), datetime.date(2022, 12, 31))
        ),
        threading.Thread(
            target=appoint, args=(people[1], datetime.date(2021, 1, 1), datetime.date(2023, 12, 31))
        ),
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(outcomes) == ["refused", "saved"]
    assert Position.objects.filter(society=society).count() == 1
