"""The admin change lists of big tables (sign-ups, events, needs, the outbox,
people): a fixed number of queries whatever the rows, the same checkbox as
Django's, one count kept for a minute, each row's HTML kept while its values
are the same, the sidebar kept with the user's list of apps."""

from datetime import timedelta

import pytest
import time_machine
from django.contrib import admin
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from experts.models import TechNeed
from kexie.platform.outbox.models import Notification
from members.models import Person
from outreach.models import Event, Registration
from outreach.services.registrations import registration_create
from tests.experts.factories import NeedFactory
from tests.factories import PersonFactory
from tests.outreach.conftest import NOW
from tests.outreach.factories import EventFactory, RegistrationFactory

# Queries of each list: 1-2 session and user, 3-4 the content types of the
# history links (kept by Django once a process has read them), then the
# choices of its filters, the count, the page of rows, and the dates of a date
# hierarchy (first and last, then the days or years). Reading a list runs
# outside a transaction (no savepoint, so the event and people lists lost
# their two).
LISTS = {
    # + the count, the page of sign-ups with their events.
    "admin:outreach_registration_changelist": 6,
    # + campaigns, audiences, towns (filters), the count, the events with their
    # seats, first and last start, the days between.
    "admin:outreach_event_changelist": 11,
    # + disciplines (filter), the count, the needs with their enterprise, the dates.
    "admin:experts_techneed_changelist": 9,
    # + the count, the notifications, the dates.
    "admin:outbox_notification_changelist": 8,
    # + towns (filter), the count, the people with their branch, their titles (filter).
    "admin:members_person_changelist": 8,
}


def _fill(rows: int) -> None:
    event = EventFactory(capacity=None)
    Registration.objects.bulk_create(
        Registration(
            event=event,
            name=f"报名者{n}",
            phone=f"1370000{n:04d}",
            party_size=1,
            status="confirmed",
        )
        for n in range(rows)
    )
    EventFactory.create_batch(rows)
    NeedFactory.create_batch(rows, status=TechNeed.Status.PUBLISHED)
    Notification.objects.bulk_create(
        Notification(channel="sms", recipient=f"1370000{n:04d}", body="您已报名。")
        for n in range(rows)
    )
    PersonFactory.create_batch(rows)


@pytest.mark.django_db
@pytest.mark.parametrize("rows", [5, 200])
def test_change_lists_query_count_does_not_grow(staff_client, django_assert_max_num_queries, rows):
    _fill(rows)
    for name, budget in LISTS.items():
        with django_assert_max_num_queries(budget):
            response = staff_client.get(reverse(name))
        assert response.status_code == 200, name


@pytest.mark.django_db
def test_the_row_checkbox_is_djangos_own(db):
    registration = RegistrationFactory(name='王<小明> & "家长"')
    model_admin = admin.site._registry[Registration]
    assert model_admin.action_checkbox(registration) == admin.ModelAdmin.action_checkbox(
        model_admin, registration
    )


@pytest.mark.django_db(transaction=True)
def test_the_count_is_taken_once_a_minute_and_at_once_after_an_edit(staff_client):
    url = reverse("admin:outreach_registration_changelist")
    event = EventFactory(title="当湖街道亲子科学课", capacity=100)
    with time_machine.travel(NOW, tick=False):
        for n in range(3):
            registration_create(
                event=event, name=f"报名者{n}", phone=f"1380000000{n}", party_size=1
            )
        assert "3 报名" in staff_client.get(url).content.decode()
        registration_create(event=event, name="王家长", phone="13811112222", party_size=1)
        with CaptureQueriesContext(connection) as queries:
            body = staff_client.get(url).content.decode()
        assert not [q for q in queries if "COUNT(" in q["sql"]]
        # The new row is listed at once; the total follows within the minute.
        assert "王家长" in body
        assert "3 报名" in body
    with time_machine.travel(NOW + timedelta(seconds=61), tick=False):
        assert "4 报名" in staff_client.get(url).content.decode()
        # An edit bumps the domain's generation: counted afresh at once.
        registration_create(event=event, name="李家长", phone="13811113333", party_size=1)
        event.title = "当湖街道亲子科学课（改期）"
        event.save()
        assert "5 报名" in staff_client.get(url).content.decode()
    assert Event.objects.count() == 1 and Person.objects.count() == 0


@pytest.mark.django_db(transaction=True)
def test_the_date_hierarchy_is_read_once_a_minute(staff_client):
    url = reverse("admin:outbox_notification_changelist")
    with time_machine.travel(NOW, tick=False):
        Notification.objects.create(channel="sms", recipient="13800001111", body="您已报名。")
        assert staff_client.get(url).status_code == 200
        with CaptureQueriesContext(connection) as queries:
            body = staff_client.get(url).content.decode()
        assert not [q for q in queries if "created_at" in q["sql"] and "MIN(" in q["sql"]]
        assert not [q for q in queries if "DATE_TRUNC" in q["sql"]]
        assert "13800001111" in body
    later = NOW + timedelta(days=40)
    with time_machine.travel(later, tick=False):
        Notification.objects.create(channel="sms", recipient="13800002222", body="活动提醒。")
        body = staff_client.get(url).content.decode()
        # Two months now: the hierarchy offers both.
        assert body.count("created_at__month=") >= 2


@pytest.mark.django_db
def test_the_sidebar_is_each_users_own_and_built_once_a_minute(staff_client, login, manager_user):
    from unittest import mock

    url = reverse("admin:outreach_event_changelist")
    partners = reverse("admin:members_partner_changelist")
    with mock.patch.object(
        type(admin.site._wrapped),
        "get_app_list",
        autospec=True,
        side_effect=admin.AdminSite.get_app_list,
    ) as built:
        assert partners in staff_client.get(url).content.decode()
        assert partners in staff_client.get(url).content.decode()
        assert built.call_count == 1
        # A manager may not see the partners: another user, another list.
        assert partners not in login(manager_user).get(url).content.decode()
        assert built.call_count == 2


def _rows(body: str) -> list[str]:
    table = body[body.index("<tbody>") : body.index("</tbody>")]
    return [row.strip() for row in table.split("<tr>")[1:]]


@pytest.mark.django_db(transaction=True)
def test_a_row_is_kept_while_its_values_are_the_same(staff_client):
    from django.contrib.admin.templatetags import admin_list

    url = reverse("admin:outreach_registration_changelist")
    event = EventFactory(title="当湖街道亲子科学课", capacity=100)
    first = RegistrationFactory(event=event, name="王家长")
    RegistrationFactory(event=event, name="李家长")
    kept = _rows(staff_client.get(url).content.decode())
    assert len(kept) == 2
    with mock_rows_rendered() as rendered:
        assert _rows(staff_client.get(url).content.decode()) == kept
    assert rendered == []
    # A change no signal sees (an update) still shows at once: another value,
    # another row.
    Registration.objects.filter(pk=first.pk).update(name="王小明家长")
    with mock_rows_rendered() as rendered:
        body = staff_client.get(url).content.decode()
    assert rendered == [first.pk]
    assert "王小明家长" in body and "王家长" not in body
    # A cancellation changes the event's seats held too (a counter the
    # database keeps), which each row read with its event: both drawn again.
    Registration.objects.filter(pk=first.pk).update(status="cancelled")
    with mock_rows_rendered() as rendered:
        body = staff_client.get(url).content.decode()
    assert len(rendered) == 2
    assert "已取消" in body
    # As Django renders it.
    model_admin = admin.site._registry[Registration]
    request = staff_client.get(url).wsgi_request
    changelist = model_admin.get_changelist_instance(request)
    django_rows = [
        "".join(admin_list.items_for_result(changelist, row, None))
        for row in changelist.result_list
    ]
    assert _rows(body) == [f"{row}</tr>" for row in django_rows]
    assert Event.objects.count() == 1


def mock_rows_rendered():
    """Records the rows Django's admin renders (those not kept)."""
    import contextlib
    from unittest import mock

    from kexie.platform.lib import admin_lists

    @contextlib.contextmanager
    def recording():
        rendered = []
        real = admin_lists.items_for_result

        def items(cl, result, form):
            rendered.append(result.pk)
            return real(cl, result, form)

        with mock.patch.object(admin_lists, "items_for_result", items):
            yield rendered

    return recording()


@pytest.mark.django_db
def test_fifty_rows_a_page(staff_client):
    event = EventFactory(capacity=None)
    Registration.objects.bulk_create(
        Registration(event=event, name=f"报名者{n}", phone=f"1370000{n:04d}", party_size=1)
        for n in range(60)
    )
    url = reverse("admin:outreach_registration_changelist")
    assert len(_rows(staff_client.get(url).content.decode())) == 50
    assert len(_rows(staff_client.get(url + "?p=2").content.decode())) == 10


@pytest.mark.django_db
def test_the_kept_sidebar_marks_the_page_it_is_on(staff_client):
    events = reverse("admin:outreach_event_changelist")
    people = reverse("admin:members_person_changelist")
    for _ in range(2):
        body = staff_client.get(events).content.decode()
        assert f'<a href="{events}" aria-current="page">' in body
        assert f'<a href="{people}">' in body
        body = staff_client.get(people).content.decode()
        assert f'<a href="{people}" aria-current="page">' in body
        assert f'<a href="{events}">' in body


@pytest.mark.django_db
def test_a_list_is_read_outside_a_transaction_and_its_actions_run_in_one(staff_client):
    from unittest import mock

    from django.db import transaction

    url = reverse("admin:outreach_event_changelist")
    event = EventFactory(title="当湖街道亲子科学课", capacity=100, status="draft")
    with mock.patch.object(transaction, "atomic", wraps=transaction.atomic) as atomic:
        assert staff_client.get(url).status_code == 200
        reads = atomic.call_count
        staff_client.post(
            url,
            {"action": "publish_events", "_selected_action": [event.pk], "index": 0},
        )
        assert atomic.call_count > reads
    assert reads == 0


@pytest.mark.django_db(transaction=True)
def test_the_filters_choices_are_kept_until_their_domain_changes(staff_client):
    from tests.outreach.factories import CampaignFactory

    events = reverse("admin:outreach_event_changelist")
    people = reverse("admin:members_person_changelist")
    CampaignFactory(name="科普惠民行动")
    PersonFactory(title="高级工程师")
    assert "科普惠民行动" in staff_client.get(events).content.decode()
    assert "高级工程师" in staff_client.get(people).content.decode()
    with CaptureQueriesContext(connection) as queries:
        staff_client.get(events)
        staff_client.get(people)
    assert not [q for q in queries if "outreach_campaign" in q["sql"]]
    assert not [q for q in queries if 'DISTINCT "members_person"."title"' in q["sql"]]
    # A new campaign, a new title: written through save(), shown at once.
    CampaignFactory(name="青少年科学营")
    PersonFactory(title="研究员")
    assert "青少年科学营" in staff_client.get(events).content.decode()
    assert "研究员" in staff_client.get(people).content.decode()


@pytest.mark.django_db(transaction=True)
def test_a_kept_page_builds_no_model_object_for_its_rows(staff_client):
    from unittest import mock

    from django.db.models import Model

    url = reverse("admin:outreach_registration_changelist")
    event = EventFactory(title="当湖街道亲子科学课", capacity=100)
    RegistrationFactory.create_batch(3, event=event)
    built = []

    def from_db(cls, db, field_names, values):
        built.append(cls)
        return Model.from_db.__func__(cls, db, field_names, values)

    first = _rows(staff_client.get(url).content.decode())
    with mock.patch.object(Registration, "from_db", classmethod(from_db)):
        again = _rows(staff_client.get(url).content.decode())
    assert again == first and len(again) == 3
    assert built == []
    # A row changed: only that one is built and rendered again.
    Registration.objects.filter(pk=Registration.objects.first().pk).update(name="王小明家长")
    with mock.patch.object(Registration, "from_db", classmethod(from_db)):
        body = staff_client.get(url).content.decode()
    assert built == [Registration]
    assert "王小明家长" in body


@pytest.mark.django_db(transaction=True)
def test_the_count_is_kept_per_filter_and_search_whatever_the_order(staff_client):
    url = reverse("admin:outreach_registration_changelist")
    event = EventFactory(title="当湖街道亲子科学课", capacity=100)
    RegistrationFactory.create_batch(2, event=event, status="confirmed")
    RegistrationFactory(event=event, status="cancelled", name="王家长")
    assert "3 报名" in staff_client.get(url).content.decode()
    assert "1 报名" in staff_client.get(url + "?status__exact=cancelled").content.decode()
    assert "1 报名" in staff_client.get(url + "?q=王家长").content.decode()
    with CaptureQueriesContext(connection) as queries:
        body = staff_client.get(url + "?o=-2").content.decode()
    assert "3 报名" in body
    assert not [q for q in queries if "COUNT(" in q["sql"]]


def _filters(body: str) -> str:
    return body[
        body.index('<nav id="changelist-filter"') : body.index(
            "</nav>", body.index("changelist-filter")
        )
    ]


@pytest.mark.django_db
def test_a_filters_html_is_kept_under_its_choices(staff_client):
    from kexie.templatetags import admin_rows

    url = reverse("admin:outreach_event_changelist")
    EventFactory(title="当湖街道亲子科学课", status="published")
    admin_rows._kept.clear()
    body = staff_client.get(url).content.decode()
    kept = [key for key in admin_rows._kept if key[1] in ("filter", "filter-state")]
    assert kept
    assert _filters(staff_client.get(url).content.decode()) == _filters(body)
    # Another selection is another key: the chosen status is marked.
    body = staff_client.get(url + "?status__exact=published").content.decode()
    chosen = '<li class="selected">\n    <a href="?status__exact=published">'
    assert chosen in body
    assert chosen not in staff_client.get(url).content.decode()


@pytest.mark.django_db
def test_a_filter_kept_under_its_state_is_djangos_own(staff_client):
    from django.contrib.admin.templatetags.admin_list import admin_list_filter

    from kexie.templatetags import admin_rows
    from tests.outreach.factories import CampaignFactory

    url = reverse("admin:outreach_event_changelist")
    campaign = CampaignFactory(name="科普惠民行动")
    EventFactory(title="当湖街道亲子科学课", status="published", campaign=campaign)
    model_admin = admin.site._registry[Event]
    admin_rows._kept.clear()
    for query in (
        "",
        "?status__exact=published",
        f"?campaign__id__exact={campaign.pk}&kind__exact=lecture",
        "?audiences__isnull=True&o=-2",
    ):
        for _ in range(2):  # drawn, then kept
            response = staff_client.get(url + query)
            changelist = model_admin.get_changelist_instance(response.wsgi_request)
            shown = _filters(response.content.decode())
            for spec in changelist.filter_specs:
                assert admin_list_filter(changelist, spec) in shown, (query, spec.title)
    assert [key for key in admin_rows._kept if key[1] == "filter-state"]


@pytest.mark.django_db
def test_the_action_select_is_djangos_own_for_each_user(staff_client, login, manager_user):
    from kexie.templatetags import admin_rows

    url = reverse("admin:outreach_event_changelist")
    EventFactory(title="当湖街道亲子科学课")
    admin_rows._kept.clear()
    body = staff_client.get(url).content.decode()
    request = staff_client.get(url).wsgi_request
    model_admin = admin.site._registry[Event]
    form = model_admin.action_form(auto_id=None)
    form.fields["action"].choices = model_admin.get_action_choices(request)
    for field in form:
        assert field.as_widget() in body
        assert admin_rows.kept_field(field) == field.as_widget()
    # A manager's actions are theirs, not the superuser's kept select.
    manager = login(manager_user).get(url).content.decode()
    assert ("delete_selected" in manager) == model_admin.has_delete_permission(
        login(manager_user).get(url).wsgi_request
    )


@pytest.mark.django_db(transaction=True)
def test_a_page_of_rows_is_kept_whole_while_nothing_it_shows_changes(staff_client):
    from unittest import mock

    from kexie.templatetags import admin_rows

    url = reverse("admin:outreach_registration_changelist")
    event = EventFactory(title="当湖街道亲子科学课", capacity=100)
    first = RegistrationFactory(event=event, name="王家长")
    RegistrationFactory(event=event, name="李家长")
    admin_rows._blocks.clear()

    def drawn(path):
        with mock.patch.object(
            admin_rows, "kept_result_list", wraps=admin_rows.kept_result_list
        ) as built:
            body = staff_client.get(path).content.decode()
        return body, built.call_count

    body, count = drawn(url)
    assert count == 1
    again, count = drawn(url)
    assert count == 0
    assert _rows(again) == _rows(body) and len(_rows(body)) == 2
    # A value changed without any signal: another block, drawn at once.
    Registration.objects.filter(pk=first.pk).update(name="王小明家长")
    body, count = drawn(url)
    assert count == 1
    assert "王小明家长" in body and "王家长<" not in body
    # Another order: other headers (the sort marks), another block.
    body, count = drawn(url + "?o=1")
    assert count == 1
    assert 'class="sortable column-name sorted ascending"' in body
    assert body.index("李家长") < body.index("王小明家长")


@pytest.mark.django_db(transaction=True)
def test_the_page_statement_is_built_once_per_query(staff_client):
    from unittest import mock

    from django.db.models.sql.compiler import SQLCompiler

    from kexie.platform.lib import admin_lists

    url = reverse("admin:outreach_registration_changelist")
    event = EventFactory(title="当湖街道亲子科学课", capacity=100)
    RegistrationFactory(event=event, name="王家长", status="confirmed")
    RegistrationFactory(event=event, name="李家长", status="cancelled")

    def page_statements(path):
        with mock.patch.object(
            SQLCompiler, "as_sql", autospec=True, side_effect=SQLCompiler.as_sql
        ) as built:
            body = staff_client.get(path).content.decode()
        pages = [
            call
            for call in built.call_args_list
            if call.args[0].query.model is Registration and call.args[0].query.select_related
        ]
        return body, len(pages)

    admin_lists._statements.clear()  # statements kept by earlier tests
    assert page_statements(url)[1] == 1
    body, built = page_statements(url)
    assert built == 0
    assert "王家长" in body and "李家长" in body
    # The statement is kept, not its rows: a new sign-up is listed at once.
    RegistrationFactory(event=event, name="张家长", status="confirmed")
    body, built = page_statements(url)
    assert built == 0 and "张家长" in body
    # Another filter, another statement, its own rows.
    body, built = page_statements(url + "?status__exact=cancelled")
    assert built == 1
    rows = "".join(_rows(body))
    assert "李家长" in rows and "王家长" not in rows and "张家长" not in rows


@pytest.mark.django_db
def test_a_statement_is_kept_per_time_zone(db):
    from datetime import date

    from django.db import connection
    from django.utils import timezone

    from kexie.platform.lib import admin_lists

    def statement(zone):
        query = Notification.objects.filter(created_at__date=date(2026, 1, 1))[:50].query
        with timezone.override(zone):
            found = admin_lists._compiled(query, connection.alias)
            expected = query.get_compiler(connection=connection).as_sql()
        assert found[1:] == (expected[0], tuple(expected[1]))
        return found[1:]

    assert statement("UTC") != statement("Asia/Shanghai")
    assert statement("UTC") == statement("UTC")


@pytest.mark.django_db
def test_the_pager_search_form_and_add_link_are_each_pages_own(staff_client):
    from kexie.templatetags import admin_rows

    event = EventFactory(title="当湖街道亲子科学课", capacity=None)
    Registration.objects.bulk_create(
        Registration(event=event, name=f"报名者{n}", phone=f"1370000{n:04d}", party_size=1)
        for n in range(120)
    )
    url = reverse("admin:outreach_registration_changelist")
    admin_rows._kept.clear()
    for _ in range(2):  # rendered, then kept: the same
        first = staff_client.get(url).content.decode()
        second = staff_client.get(url + "?p=2").content.decode()
        assert '<span class="this-page">1</span>' in first
        assert '<span class="this-page">2</span>' in second
        assert '<a href="?p=2">2</a>' in first and '<a href="?p=1">1</a>' in second
        searched = staff_client.get(url + "?q=报名者11").content.decode()
        assert 'value="报名者11" id="searchbar"' in searched
        assert 'value="" id="searchbar"' in first
        other = staff_client.get(url + "?q=报名者2").content.decode()
        assert 'value="报名者2" id="searchbar"' in other
    # The add link keeps the list's filters; each filter its own.
    events = reverse("admin:outreach_event_changelist")
    for status in ("published", "draft", "published"):
        body = staff_client.get(events + f"?status__exact={status}").content.decode()
        assert f"_changelist_filters=status__exact%3D{status}" in body


@pytest.mark.django_db
def test_the_kept_header_carries_each_requests_own_token_and_user(login, staff_user, manager_user):
    import re

    from django.test import Client

    from kexie.templatetags import admin_rows

    url = reverse("admin:outreach_event_changelist")
    admin_rows._kept.clear()
    client = Client(enforce_csrf_checks=True)
    client.force_login(staff_user, backend="kexie.platform.accounts.backends.PhoneOrEmailBackend")
    for _ in range(2):  # rendered, then kept
        body = client.get(url).content.decode()
        header = body[body.index('<header id="header">') : body.index("</header>")]
        assert staff_user.get_short_name() in header
        assert admin_rows._CSRF_MARK not in body
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', header)[1]
    # Another user's header is theirs.
    assert manager_user.get_short_name() in login(manager_user).get(url).content.decode()
    # The token in the kept header is this request's: logging out with it works.
    response = client.post(reverse("admin:logout"), {"csrfmiddlewaretoken": token})
    assert response.status_code == 302  # not 403: the token was accepted
    assert reverse("admin:login") in client.get(url)["Location"]
