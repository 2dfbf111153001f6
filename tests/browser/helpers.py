"""Steps the browser journeys share."""

from tests.factories import TEST_PASSWORD


def log_in(page, login: str, *, next_url: str = "/", password: str = TEST_PASSWORD) -> None:
    """Log in through the log-in form, as a person would."""
    page.goto(f"/accounts/login/?next={next_url}")
    page.get_by_label("手机号码或电子邮箱").fill(login)
    page.get_by_label("密码").fill(password)
    page.locator("main form button[type=submit]").click()


def log_out(page) -> None:
    page.context.clear_cookies()


def load_reference_data() -> None:
    """Put back the rows the data migrations load (disciplines, audiences):
    a transactional test empties every table when it ends."""
    from importlib import import_module

    from django.apps import apps

    import_module("experts.migrations.0002_load_disciplines").load(apps, None)
    import_module("outreach.migrations.0002_audience_key_groups").add_audiences(apps, None)
