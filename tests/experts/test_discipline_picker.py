"""The discipline picker: check boxes without JavaScript, suggestions from the
text, and the thin endpoint the script asks."""

import pytest
from django.urls import reverse

from experts.models import Discipline, TechNeed
from tests.experts.factories import discipline

SUGGEST = reverse("experts:discipline_suggest")


def need_data(**overrides) -> dict:
    data = {
        "title": "注塑件缩水",
        "summary": "注塑件表面有缩水，想请专家看看模具和工艺。",
        "details": "",
        "kind": TechNeed.Kind.RESEARCH,
        "fields": [discipline("460").pk],
        "keywords": "",
    }
    data.update(overrides)
    return data


def test_need_form_offers_check_boxes_and_no_ctrl_click(enterprise, login, enterprise_user):
    page = login(enterprise_user).get(reverse("experts:need_create")).content.decode()
    assert "Ctrl" not in page
    assert page.count('type="checkbox" name="fields"') == Discipline.objects.count()
    assert "<select" not in page.split('name="fields"')[0].rsplit("<fieldset", 1)[-1]
    assert "js/discipline-picker.js" in page
    assert "<script>" not in page and " onclick=" not in page


def test_expert_profile_form_uses_the_picker_too(expert, login):
    page = login(expert.user).get(reverse("experts:expert_profile")).content.decode()
    assert "Ctrl" not in page
    assert "data-discipline-picker" in page
    # The expert's own field is ticked.
    assert f'value="{expert.fields.first().pk}" id="id_fields_{expert.fields.first().pk}"' in page


def test_without_javascript_the_suggest_button_puts_suggested_fields_first(
    enterprise, login, enterprise_user
):
    data = need_data(fields=[])
    data["suggest"] = "1"
    response = login(enterprise_user).post(reverse("experts:need_create"), data)
    page = response.content.decode()
    suggested = page.split("根据内容建议</legend>")[1].split("</fieldset>")[0]
    assert "机械工程" in suggested
    # Each discipline is offered once, suggested or in its group.
    assert page.count('type="checkbox" name="fields"') == Discipline.objects.count()
    assert not TechNeed.objects.exists()


def test_need_is_saved_with_the_fields_ticked(enterprise, login, enterprise_user):
    fields = [discipline("460").pk, discipline("430").pk]
    response = login(enterprise_user).post(reverse("experts:need_create"), need_data(fields=fields))
    need = TechNeed.objects.get()
    assert response.status_code == 302
    assert sorted(need.fields.values_list("pk", flat=True)) == sorted(fields)


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        ([], "请至少选择一个领域。"),
        (["999999"], "所选领域不存在，请重新选择。"),
        (["x"], "所选领域不存在，请重新选择。"),
    ],
)
def test_bad_field_choice_is_explained_and_nothing_saved(
    enterprise, login, enterprise_user, fields, message
):
    response = login(enterprise_user).post(reverse("experts:need_create"), need_data(fields=fields))
    assert response.status_code == 200
    assert message in response.content.decode()
    assert 'class="discipline-picker is-invalid"' in response.content.decode()
    assert not TechNeed.objects.exists()


# --- the endpoint ---------------------------------------------------------------


def test_endpoint_answers_disciplines_for_plain_words(login, public_user):
    response = login(public_user).post(SUGGEST, {"text": "我们养猪，猪容易生病"})
    assert response.status_code == 200
    assert response["Cache-Control"].startswith("max-age=0")
    first = response.json()["disciplines"][0]
    assert set(first) == {"id", "code", "name", "score"}
    assert first["code"] == "230"
    assert first["id"] == discipline("230").pk


def test_endpoint_needs_a_signed_in_user_and_a_post(client, login, public_user):
    response = client.post(SUGGEST, {"text": "养猪"})
    assert response.status_code == 302
    assert response.url.startswith(reverse("accounts:login"))
    assert login(public_user).get(SUGGEST, {"text": "养猪"}).status_code == 405


def test_endpoint_with_no_text_answers_an_empty_list(login, public_user):
    assert login(public_user).post(SUGGEST).json() == {"disciplines": []}


def test_endpoint_is_throttled_per_user(settings, login, public_user, other_expert_user):
    settings.EXPERTS_SUGGEST_RATE = "3/m"
    client = login(public_user)
    for _ in range(3):
        assert client.post(SUGGEST, {"text": "养猪"}).status_code == 200
    refused = client.post(SUGGEST, {"text": "养猪"})
    assert refused.status_code == 429
    assert refused.json()["error"] == "操作太频繁，请稍后再试。"
    # Another person is not held up.
    assert login(other_expert_user).post(SUGGEST, {"text": "养猪"}).status_code == 200


def test_endpoint_fails_open_when_the_cache_is_down(settings, login, public_user, monkeypatch):
    from experts.views import pickers

    def broken(*args, **kwargs):
        raise ConnectionError("redis down")

    monkeypatch.setattr(pickers, "get_usage", broken)
    assert login(public_user).post(SUGGEST, {"text": "养猪"}).status_code == 200


def test_endpoint_reads_a_bounded_text(login, public_user, django_assert_max_num_queries):
    client = login(public_user)
    # Session and user, then the matching index: experts, disciplines, their fields,
    # keywords and vectors (a process keeps the index between requests, but not one
    # built inside a test's transaction). Nothing grows with the text.
    with django_assert_max_num_queries(8):
        response = client.post(SUGGEST, {"text": "养猪 " * 100_000})
    assert response.status_code == 200
