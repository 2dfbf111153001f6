"""The search's synonym groups join the shared vocabulary (experts.Keyword), so the
search and the matching keep one store of synonyms with one separator."""

import re

from django.db import migrations

_SPLIT_RE = re.compile(r"[,，、;；\s]+")


def move(apps, schema_editor):
    SearchSynonym = apps.get_model("search", "SearchSynonym")
    Keyword = apps.get_model("experts", "Keyword")
    for row in SearchSynonym.objects.order_by("pk"):
        words = [word for word in row.words.split() if word]
        if len(words) < 2:
            continue
        entry = None
        for word in words:
            entry = Keyword.objects.filter(name__iexact=word).first()
            if entry is not None:
                break
        if entry is None:
            entry = Keyword.objects.create(name=words[0][:50], synonyms="", is_approved=True)
        terms = [entry.name, *[w for w in _SPLIT_RE.split(entry.synonyms or "") if w]]
        known = {term.lower() for term in terms}
        terms += [word for word in words if word.lower() not in known]
        entry.synonyms = "、".join(terms[1:])
        entry.is_approved = True
        entry.save()


class Migration(migrations.Migration):
    dependencies = [
        ("search", "0002_searchdocument_kind_article"),
        ("experts", "0009_techneed_terms_confirmed"),
    ]

    operations = [
        migrations.RunPython(move, migrations.RunPython.noop),
        migrations.DeleteModel(name="SearchSynonym"),
    ]
