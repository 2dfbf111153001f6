"""Where a new account goes right after registering, by role.

The apps register their first step in ``AppConfig.ready`` (an enterprise into
its profile and first need, an expert into the expert application), so the
accounts app leads each person on without importing the apps.
"""

from django.urls import reverse

_first_steps: dict[str, str] = {}


def register(role: str, url_name: str) -> None:
    _first_steps[role] = url_name


def first_step_url(user) -> str:
    return reverse(_first_steps.get(user.role, "home"))
