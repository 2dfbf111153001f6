"""An event's change history in the admin reads as staff speak."""

from django.urls import reverse

from outreach.services.events import event_cancel, event_save


def test_the_history_shows_labels_and_a_translated_column_not_codes_or_none(
    staff_client, staff_user, event
):
    event.capacity = (event.capacity or 0) + 5
    event.signup_needs_code = True
    event_save(event=event, by=staff_user)
    event_cancel(event=event, reason="场地维修", by=staff_user)

    response = staff_client.get(reverse("admin:outreach_event_history", args=[event.pk]))

    html = " ".join(response.content.decode().split())
    assert response.status_code == 200
    assert "<strong>状态:</strong> 已发布 &nbsp;&rarr;&nbsp;&nbsp;已取消" in html
    assert "<strong>报名需短信验证:</strong> 否 &nbsp;&rarr;&nbsp;&nbsp;是" in html
    assert "cancelled" not in html
    assert "False" not in html
    assert "True" not in html
    assert "变更内容" in html
    assert "Changes" not in html
    assert "<td> None </td>" not in html
