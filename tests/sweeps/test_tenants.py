"""Every object URL with another tenant's object: 404, so nobody learns it exists.

Another enterprise's need, attachment, engagement and response; another
expert's response and invitation; another branch's draft event and lecture
request in the staff pages; a sign-up of another event under the manager's own
event; a private code that is not a sign-up's.
"""

import pytest
from django.urls import reverse

from tests.sweeps.test_url_sweep import finish


def _pk(key):
    return lambda w: [w[key].pk]


# (role, url name, args builder, method)
OTHER_TENANT = [
    ("enterprise", "experts:need_detail", _pk("other_draft"), "get"),
    ("enterprise", "experts:need_edit", _pk("other_draft"), "get"),
    ("enterprise", "experts:need_edit", _pk("other_draft"), "post"),
    ("enterprise", "experts:need_action", _pk("other_draft"), "post"),
    ("enterprise", "experts:attachment_upload", _pk("other_draft"), "post"),
    ("enterprise", "experts:attachment_download", _pk("other_attachment"), "get"),
    ("enterprise", "experts:attachment_delete", _pk("other_attachment"), "post"),
    ("enterprise", "experts:engagement", _pk("other_engaged"), "get"),
    ("enterprise", "experts:engagement_log", _pk("other_engaged"), "post"),
    ("enterprise", "experts:engagement_resolve", _pk("other_engaged"), "post"),
    ("enterprise", "experts:rate", _pk("other_engaged"), "get"),
    ("enterprise", "experts:rating_reply", _pk("other_rated"), "post"),
    ("enterprise", "experts:response_message", _pk("other_response"), "post"),
    ("enterprise", "experts:response_accept", _pk("other_response"), "post"),
    ("expert", "experts:response_message", _pk("other_response"), "post"),
    ("expert", "experts:response_accept", _pk("other_response"), "post"),
    ("expert", "experts:engagement", _pk("other_engaged"), "get"),
    ("expert", "experts:engagement_log", _pk("other_engaged"), "post"),
    ("expert", "experts:rating_reply", _pk("other_rated"), "post"),
    ("expert", "experts:invitation_decline", _pk("other_invitation"), "post"),
    ("expert", "experts:attachment_download", _pk("other_attachment"), "get"),
    ("expert", "experts:need_detail", _pk("other_draft"), "get"),
    ("manager", "outreach:staff_event_registrations", _pk("other_draft_event"), "get"),
    ("manager", "outreach:staff_registrations_xlsx", _pk("other_draft_event"), "get"),
    ("manager", "outreach:staff_check_in", _pk("other_draft_event"), "get"),
    ("manager", "outreach:staff_check_in", _pk("other_draft_event"), "post"),
    ("manager", "outreach:staff_check_in_counts", _pk("other_draft_event"), "get"),
    (
        "manager",
        "outreach:staff_registration_cancel",
        lambda w: [w["own_event"].pk, w["other_registration"].pk],
        "post",
    ),
    ("manager", "outreach:staff_lecture_request", _pk("other_lecture_request"), "get"),
    ("manager", "outreach:staff_lecture_request", _pk("other_lecture_request"), "post"),
    ("public", "outreach:event_detail", _pk("other_draft_event"), "get"),
]


@pytest.mark.parametrize("role", ["anonymous", "public", "enterprise", "expert", "manager"])
def test_other_tenants_objects_answer_404(role, sweep_world, client_for):
    client = client_for(role)
    answers = []
    for row_role, name, args, method in OTHER_TENANT:
        if row_role != role:
            continue
        response = getattr(client, method)(reverse(name, args=args(sweep_world)))
        finish(response)
        answers.append((name, method, response.status_code))
    assert [a for a in answers if a[2] != 404] == []


def test_a_code_that_is_no_sign_ups_answers_404(sweep_world, client):
    code = sweep_world["own_registration"].code
    wrong = code[:-1] + ("A" if code[-1] != "A" else "B")
    for name in ("outreach:registration_manage", "outreach:registration_qr"):
        assert client.get(reverse(name, args=[wrong])).status_code == 404
    assert client.post(reverse("outreach:registration_manage", args=[wrong])).status_code == 404


def test_manager_may_not_open_another_branchs_public_event_in_staff_pages(sweep_world, client_for):
    # A published event is public: the manager may know it exists but not change it (403).
    client = client_for("manager")
    url = reverse("outreach:staff_event_registrations", args=[sweep_world["other_event"].pk])
    assert client.get(url).status_code == 403
