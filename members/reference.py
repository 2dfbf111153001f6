"""Reference data of the region, read from data files with named fields.

``members/data/towns.json`` is the one list of the towns and streets (镇街道):
name, kind (``street`` or ``town``) and order (from 1, as shown in lists and
reports). Every app's demo, and anything else that needs the towns to exist,
calls ``ensure_towns``, which creates the missing ones through the services.
"""

import json
from functools import cache
from pathlib import Path

from members import services
from members.models import Town

DATA = Path(__file__).resolve().parent / "data"


@cache
def town_rows() -> tuple[dict, ...]:
    """The towns as written in the data file, in their order."""
    rows = json.loads((DATA / "towns.json").read_text(encoding="utf-8"))
    return tuple(sorted(rows, key=lambda row: row["order"]))


def ensure_towns() -> dict[str, Town]:
    """Every town of the list, by name: those already stored are kept as they are."""
    stored = {town.name: town for town in Town.objects.all()}
    towns = {}
    for row in town_rows():
        towns[row["name"]] = stored.get(row["name"]) or services.town_create(
            name=row["name"], kind=row["kind"], order=row["order"]
        )
    return towns
