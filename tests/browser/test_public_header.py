"""The site's header at a desk's widths, in both languages, signed in or not:
walked as the public (engineer public13)."""

import pytest

from tests.browser.helpers import log_in
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db(transaction=True)

# The widths of Bootstrap's lg and xl containers and a common laptop.
WIDTHS = [992, 1100, 1200, 1366, 1400]

_ROWS = """() => {
  const box = (e) => e.getBoundingClientRect();
  const centre = (e) => Math.round(box(e).top + box(e).height / 2);
  const account = [...document.querySelectorAll('.site-account a, .site-account button')];
  const menu = [...document.querySelectorAll('header .site-menu .nav-link')]
    .filter((e) => e.getClientRects().length);
  const oneLine = (e) => box(e).height < 2 * parseFloat(getComputedStyle(e).lineHeight);
  return {
    account: [...new Set(account.map(centre))].length,
    menu: [...new Set(menu.map((e) => Math.round(box(e).top)))].length,
    wrapped: [...account, ...menu].filter((e) => !oneLine(e)).map((e) => e.textContent.trim()),
    overflow: document.documentElement.scrollWidth - document.documentElement.clientWidth,
  };
}"""


def _rows_at_each_width(page) -> dict[int, dict]:
    rows = {}
    for width in WIDTHS:
        page.set_viewport_size({"width": width, "height": 800})
        page.reload()
        rows[width] = page.evaluate(_ROWS)
    return rows


def _in_english(page):
    page.goto("/language/en/?next=/events/")
    page.wait_for_url("**/events/")


FITS = {"account": 1, "menu": 1, "wrapped": [], "overflow": 0}


def test_log_in_and_register_stay_side_by_side_in_english(page):
    _in_english(page)
    assert _rows_at_each_width(page) == dict.fromkeys(WIDTHS, FITS)


@pytest.mark.parametrize(
    ("language", "name"),
    [
        ("zh-hans", "Alexandra Wang"),
        ("en", "Alexandra Wang"),
        # Fifty characters, the most a name may have, with a mailbox still to verify.
        ("en", "Maximilian-Alexander-Konstantin-Wolfgang-Schmidtt"),
    ],
)
def test_a_signed_in_members_links_fit_one_row_above_the_menu(page, language, name):
    UserFactory(name=name, email="alexandra@example.cn", pending_phone="13912345678")
    log_in(page, "alexandra@example.cn", next_url="/events/")
    page.wait_for_url("**/events/")
    if language == "en":
        _in_english(page)
    assert page.get_by_role("link", name=name).is_visible()
    assert _rows_at_each_width(page) == dict.fromkeys(WIDTHS, FITS)
