"""The demo's names and figures, read from ``data.json`` beside this file (named
fields): fictional grassroots units, typical societies, partners from the
Yangtze River Delta and contest projects. The towns are the region's one list,
``members/data/towns.json``. Descriptions are written for the demo."""

import json
from pathlib import Path

DEMO_MANAGER_EMAIL = "manager@demo.kexie"

DATA = json.loads((Path(__file__).resolve().parent / "data.json").read_text(encoding="utf-8"))
