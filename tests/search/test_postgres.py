import pytest
from django.db import connection

from kexie.portal.search import selectors
from kexie.portal.search.models import SearchDocument
from tests.conftest import requires_postgres

pytestmark = [pytest.mark.django_db, requires_postgres]


def test_postgres_finds_chinese_through_the_tsvector(corpus):
    assert not SearchDocument.objects.filter(search_vector__isnull=True).exists()
    found = selectors.search(query="航天")
    titles = [hit.document.title for group in found.groups for hit in group.hits]
    assert "中国航天科普馆" in titles


def test_title_matches_rank_above_body_matches(corpus):
    found = selectors.search(query="航天", kind="venue")
    assert found.page.object_list[0].document.title == "中国航天科普馆"
    found = selectors.search(query="电池", kind="need")
    assert found.page.object_list[0].document.title == "储能电池循环寿命提升"


def test_the_search_uses_the_gin_index(corpus):
    with connection.cursor() as cursor:
        cursor.execute("SET enable_seqscan = off")
        plan = SearchDocument.objects.filter(
            search_vector=selectors._postgres_query(selectors.terms.Leaf("航天"))
        ).explain()
        cursor.execute("RESET enable_seqscan")
    assert "searchdoc_vector_gin" in plan
