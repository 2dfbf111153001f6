"""Query budget of the search page: the same at 5 matching records and at 200."""

import pytest
from django.urls import reverse

from kexie.portal.search import services
from kexie.portal.search.indexers import DocumentData

pytestmark = pytest.mark.django_db

SIZES = [5, 200]


def _documents(rows):
    for kind in ("event", "need", "expert"):
        services.documents_write(
            kind=kind,
            items=[
                (
                    n,
                    DocumentData(
                        title=f"储能电池项目{n}", body="磷酸铁锂电池", url=f"/{kind}/{n}/"
                    ),
                )
                for n in range(1, rows + 1)
            ],
        )


@pytest.mark.parametrize("rows", SIZES)
def test_overview(client, rows, django_assert_num_queries):
    _documents(rows)
    # synonyms, counts per kind, the best five of each kind
    with django_assert_num_queries(3):
        response = client.get(reverse("search:results"), {"q": "电池"})
    assert response.status_code == 200


@pytest.mark.parametrize("rows", SIZES)
def test_one_kind_page(client, rows, django_assert_num_queries):
    _documents(rows)
    # synonyms, counts per kind, one page of the chosen kind
    with django_assert_num_queries(3):
        response = client.get(reverse("search:results"), {"q": "电池", "kind": "need", "page": 1})
    assert len(response.context["results"].page.object_list) == min(rows, 20)


@pytest.mark.parametrize("rows", SIZES)
def test_any_word_fallback(client, rows, django_assert_num_queries):
    _documents(rows)
    # synonyms, counts with every word (none), counts with any word, the best five of each kind
    with django_assert_num_queries(4):
        response = client.get(reverse("search:results"), {"q": "电池 航天"})
    assert response.context["results"].relaxed


def test_empty_query_costs_nothing(client, django_assert_num_queries):
    with django_assert_num_queries(0):
        client.get(reverse("search:results"))
