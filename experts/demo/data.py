"""The 科协帮's demo records, read from ``data.json`` beside this file (named
fields): Pinghu-like enterprises, expert profiles of the Yangtze River Delta,
needs, achievements, workstations and the first days of newcomers. Names are
invented; descriptions are written for the demo.

Towns are the region's one list (``members/data/towns.json``). The vocabulary
is the shipped one (``experts/data/matching_vocabulary.json``); the demo adds
only entries none of whose words the shipped one has, and names every keyword
by its entry (``tests/experts/test_admin_and_demo.py`` keeps it so).
"""

import json
from pathlib import Path

DEMO_ENTERPRISE_EMAIL = "enterprise@demo.kexie"
DEMO_EXPERT_EMAIL = "expert@demo.kexie"

DATA = json.loads((Path(__file__).resolve().parent / "data.json").read_text(encoding="utf-8"))
