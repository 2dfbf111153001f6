import pytest

from tests.browser.conftest import axe_violations

pytestmark = pytest.mark.django_db(transaction=True)


def test_language_switch_turns_a_page_into_english_and_back(page, shoot):
    page.goto("/")
    assert page.locator("html").get_attribute("lang") == "zh-Hans"
    assert page.get_by_role("link", name="首页").is_visible()
    shoot(page, "chinese")

    page.get_by_role("link", name="English").click()
    page.wait_for_load_state()
    assert page.locator("html").get_attribute("lang") == "en"
    assert page.get_by_role("link", name="Home").is_visible()
    shoot(page, "english")

    page.get_by_role("link", name="简体中文").click()
    page.wait_for_load_state()
    assert page.get_by_role("link", name="首页").is_visible()


@pytest.mark.parametrize("path", ["/", "/accounts/login/", "/accounts/register/"])
def test_foundation_pages_have_no_serious_accessibility_violations(page, path):
    page.goto(path)
    assert axe_violations(page) == []
