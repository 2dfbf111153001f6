"""The workbench tests run on Monday 1 June 2026, 10:00 in Pinghu."""

import pytest
import time_machine

from tests.outreach.conftest import NOW


@pytest.fixture(autouse=True)
def _frozen_now():
    with time_machine.travel(NOW, tick=False):
        yield
