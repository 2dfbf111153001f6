"""Every public page passes axe-core (no serious or critical violation) and the
W3C Nu HTML checker (no error).

The Nu checker (``vnu.jar`` from the npm package ``vnu-jar``, ``make browser-deps``
installs it into build/vnu/) runs on Java; without either its test skips.
"""

import json
import os
import shutil
import subprocess
from datetime import timedelta
from decimal import Decimal
from pathlib import Path

import pytest
from django.urls import NoReverseMatch, reverse
from django.utils import timezone

from experts.services import needs
from outreach.models import FeedbackInvitation
from outreach.services.certificates import certificate_for_registration, certificate_revoke
from outreach.services.registrations import registration_create
from tests.browser.conftest import PHONE, axe_violations
from tests.browser.helpers import load_reference_data
from tests.experts.factories import (
    AchievementFactory,
    EnterpriseFactory,
    ExpertFactory,
    NeedFactory,
    WorkstationFactory,
)
from tests.factories import BranchFactory, SocietyFactory, UserFactory
from tests.outreach.factories import (
    EventFactory,
    LectureTopicFactory,
    RegistrationFactory,
    VenueFactory,
)

pytestmark = pytest.mark.django_db(transaction=True)

ROOT = Path(__file__).resolve().parents[2]
VNU_JAR = Path(
    os.environ.get(
        "VNU_JAR",
        ROOT / "build" / "vnu" / "node_modules" / "vnu-jar" / "build" / "dist" / "vnu.jar",
    )
)
HTML_DIR = ROOT / "build" / "html"

PAGES = [
    "home",
    "event_list",
    "event_detail",
    "signup_confirmation",
    "venue_list",
    "venue_detail",
    "org_list",
    "society_detail",
    "branch_detail",
    "board",
    "need_detail",
    "expert_detail",
    "search",
    "login",
    "register",
    "event_calendar",
    "speaker_team_list",
    "expert_list",
    "achievement_list",
    "workstation_list",
    "honor_list",
    "contest_index",
    "achievement_detail",
    "workstation_detail",
    "speaker_team_detail",
    "feedback",
    "certificate",
    "certificate_check",
    "privacy_start",
    "event_detail_code",
    "recover_start",
    "certificate_check_revoked",
    "not_found",
    "certificate_none",
    "feedback_missing",
]
# Pages that answer 404 on purpose, each saying why and where to go.
NOT_FOUND = {"not_found", "certificate_none", "feedback_missing"}


def _search_url() -> str | None:
    for name in ("search", "search:search", "search:results"):
        try:
            return reverse(name)
        except NoReverseMatch:
            continue
    return None


@pytest.fixture
def public_urls() -> dict[str, str | None]:
    """One record behind each public page, made through the services, and the
    page's address (``None`` when the page does not exist yet)."""
    load_reference_data()
    staff = UserFactory(role="staff", is_staff=True)
    owner = UserFactory(role="enterprise")
    venue = VenueFactory(name="平湖市科技馆")
    society = SocietyFactory(name="平湖市机械工程学会")
    branch = BranchFactory(name="当湖街道科协")
    starts = timezone.now() + timedelta(days=5)
    event = EventFactory(
        title="周末亲子机器人课",
        venue=venue,
        branch=branch,
        starts_at=starts,
        ends_at=starts + timedelta(hours=2),
    )
    registration = registration_create(
        event=event, name="王小明家长", phone="13912345678", party_size=2, email=""
    )
    need = NeedFactory(enterprise=EnterpriseFactory(users=[owner]), title="储能电池寿命提升")
    needs.need_submit(need=need, by=owner)
    needs.need_publish(need=need, by=staff)
    expert = ExpertFactory(name="张储能")
    search = _search_url()
    workstation = WorkstationFactory(name="储能材料院士工作站")
    held = EventFactory(
        title="青少年航模实践营",
        venue=venue,
        starts_at=timezone.now() - timedelta(days=3),
        ends_at=timezone.now() - timedelta(days=3) + timedelta(hours=2),
        gives_certificate=True,
        certificate_hours=Decimal("3.0"),
    )
    attended = RegistrationFactory(
        event=held, name="王小明", status="attended", attended_count=1, phone="13900001111"
    )
    invitation = FeedbackInvitation.objects.create(registration=attended)
    certificate = certificate_for_registration(attended)
    popular = EventFactory(
        title="院士进校园",
        starts_at=starts,
        ends_at=starts + timedelta(hours=2),
        signup_needs_code=True,
    )
    revoked = certificate_revoke(
        certificate=certificate_for_registration(
            RegistrationFactory(event=held, name="李小红", status="attended", attended_count=1)
        ),
        by=staff,
        reason="签到记录有误",
    )
    return {
        "home": "/",
        "event_list": reverse("outreach:event_list"),
        "event_detail": event.get_absolute_url(),
        "signup_confirmation": registration.get_absolute_url(),
        "venue_list": reverse("outreach:venue_list"),
        "venue_detail": reverse("outreach:venue_detail", args=[venue.pk]),
        "org_list": reverse("members:org_list"),
        "society_detail": reverse("members:society_detail", args=[society.pk]),
        "branch_detail": reverse("members:branch_detail", args=[branch.pk]),
        "board": reverse("experts:board"),
        "need_detail": reverse("experts:need_detail", args=[need.pk]),
        "expert_detail": reverse("experts:expert_detail", args=[expert.pk]),
        "search": search and f"{search}?q=机器人",
        "login": reverse("accounts:login"),
        "register": reverse("accounts:register"),
        "event_calendar": reverse("outreach:event_calendar"),
        "speaker_team_list": reverse("outreach:speaker_team_list"),
        "expert_list": reverse("experts:expert_list"),
        "achievement_list": reverse("experts:achievement_list"),
        "workstation_list": reverse("experts:workstation_list"),
        "honor_list": reverse("members:honor_list"),
        "contest_index": reverse("members:contest_index"),
        "achievement_detail": AchievementFactory().get_absolute_url(),
        "workstation_detail": reverse("experts:workstation_detail", args=[workstation.pk]),
        "speaker_team_detail": reverse(
            "outreach:speaker_team_detail", args=[LectureTopicFactory().team_id]
        ),
        "feedback": invitation.get_absolute_url(),
        "certificate": reverse("outreach:certificate", args=[attended.code]),
        "certificate_check": certificate.get_absolute_url(),
        "privacy_start": reverse("privacy:start"),
        "event_detail_code": popular.get_absolute_url(),
        "recover_start": reverse("outreach:recover_start"),
        "certificate_check_revoked": revoked.get_absolute_url(),
        "not_found": "/events/999999/",
        "certificate_none": reverse(
            "outreach:certificate",
            args=[RegistrationFactory(event=held, status="no_show", phone="13900002222").code],
        ),
        "feedback_missing": reverse("outreach:feedback", args=[invitation.token[:-3]]),
    }


@pytest.mark.parametrize("name", PAGES)
def test_public_page_has_no_serious_accessibility_violations(page, public_urls, name, shoot):
    url = public_urls[name]
    if url is None:
        pytest.skip(f"the {name} page does not exist yet")
    response = page.goto(url)
    assert response.status == (404 if name in NOT_FOUND else 200)
    shoot(page, "page")
    violations = axe_violations(page)
    assert not violations, violations

    # WCAG 1.4.10 (reflow): on a phone the page scrolls only vertically.
    page.set_viewport_size(PHONE)
    shoot(page, "phone")
    overflow = page.evaluate(
        "() => document.documentElement.scrollWidth - document.documentElement.clientWidth"
    )
    assert overflow <= 0, f"{overflow}px wider than a phone"


def test_public_pages_have_valid_html(client, public_urls):
    java = shutil.which("java")
    if java is None or not VNU_JAR.exists():
        pytest.skip("the Nu HTML checker needs Java and vnu.jar (make browser-deps)")
    HTML_DIR.mkdir(parents=True, exist_ok=True)
    files = []
    for name, url in public_urls.items():
        if url is None:
            continue
        response = client.get(url)
        assert response.status_code == (404 if name in NOT_FOUND else 200), name
        path = HTML_DIR / f"{name}.html"
        path.write_bytes(response.content)
        files.append(str(path))
    run = subprocess.run(  # noqa: S603 - fixed arguments, no shell
        [java, "-Xss1024k", "-jar", str(VNU_JAR), "--format", "json", "--errors-only", *files],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    messages = json.loads(run.stderr or run.stdout or '{"messages": []}')["messages"]
    errors = [
        f"{Path(m.get('url', '')).name}:{m.get('lastLine')}: {m['message']}"
        f" «{m.get('extract', '').strip()}»"
        for m in messages
        if m.get("type") in ("error", "non-document-error") or m.get("subType") == "fatal"
    ]
    assert not errors, "\n".join(errors)
