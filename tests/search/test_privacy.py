"""Nothing private is ever found by the public."""

import pytest
from django.urls import reverse

from kexie.portal.search.models import SearchDocument
from tests.search.conftest import CONFIDENTIAL, PRIVATE_EMAIL, PRIVATE_PHONE

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    "query",
    [PRIVATE_PHONE, PRIVATE_EMAIL, CONFIDENTIAL, "钴酸镍", "王隐士", "机器人", "光刻胶", "养蜂"],
)
def test_private_things_are_not_found(client, corpus, query):
    response = client.get(reverse("search:results"), {"q": query})
    assert response.context["results"].total == 0


def test_private_text_is_not_in_the_index_at_all(corpus):
    everything = " ".join(
        f"{d.title} {d.body} {d.extra} {d.title_terms} {d.body_terms}"
        for d in SearchDocument.objects.all()
    )
    for secret in (PRIVATE_PHONE, PRIVATE_EMAIL, CONFIDENTIAL, "王隐士"):
        assert secret not in everything


def test_anonymous_need_does_not_name_its_enterprise(corpus):
    from experts.models import TechNeed
    from kexie.portal.search import services
    from tests.experts.factories import EnterpriseFactory, NeedFactory

    enterprise = EnterpriseFactory(name="嘉兴隐名光电有限公司")
    need = NeedFactory(enterprise=enterprise, title="镜片镀膜", is_anonymous=True)
    TechNeed.objects.filter(pk=need.pk).update(status=TechNeed.Status.MATCHED)
    services.document_refresh(kind="need", object_id=need.pk)
    document = SearchDocument.objects.get(kind="need", object_id=need.pk)
    assert "隐名光电" not in f"{document.body} {document.extra} {document.body_terms}"


def test_achievement_of_a_private_expert_does_not_name_them(corpus):
    from tests.experts.factories import AchievementFactory

    achievement = AchievementFactory(title="隐士的成果", expert=corpus["private_expert"])
    from kexie.portal.search import services

    services.document_refresh(kind="achievement", object_id=achievement.pk)
    document = SearchDocument.objects.get(kind="achievement", object_id=achievement.pk)
    assert "王隐士" not in f"{document.body} {document.extra}"
