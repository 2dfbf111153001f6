"""Steps the browser journeys share."""

from tests.factories import TEST_PASSWORD
from tests.helpers import load_reference_data

__all__ = ["load_reference_data", "log_in", "log_out"]


def log_in(page, login: str, *, next_url: str = "/", password: str = TEST_PASSWORD) -> None:
    """Log in through the log-in form, as a person would."""
    page.goto(f"/accounts/login/?next={next_url}")
    page.get_by_label("手机号码或电子邮箱").fill(login)
    page.get_by_label("密码").fill(password)
    page.locator("main form button[type=submit]").click()


def log_out(page) -> None:
    page.context.clear_cookies()
