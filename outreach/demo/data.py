"""What the outreach demo is made of, read from ``data.json`` beside this file
(named fields): campaigns, the named venues, themes of the science bases, plans
of events, speaker teams and lecture requests. Towns are named as in the
region's one list (``members/data/towns.json``)."""

import json
from pathlib import Path

DATA = json.loads((Path(__file__).resolve().parent / "data.json").read_text(encoding="utf-8"))
