"""The admin's change pages fit a laptop screen: a wide tabular inline (a
branch's posts, in English) scrolls inside its own box instead of pushing the
whole page sideways."""

from pathlib import Path

import pytest
from django.conf import settings
from django.urls import reverse

pytestmark = pytest.mark.django_db


def test_branch_change_page_lets_its_posts_table_scroll_inside_itself(
    manager_client, manager_branch
):
    response = manager_client.get(
        reverse("admin:members_branch_change", args=[manager_branch.pk]), HTTP_ACCEPT_LANGUAGE="en"
    )
    assert response.status_code == 200
    assert 'href="/static/css/admin.css' in response.content.decode()
    stylesheet = (Path(settings.BASE_DIR) / "static" / "css" / "admin.css").read_text()
    assert ".inline-group {\n    overflow-x: auto;" in stylesheet
