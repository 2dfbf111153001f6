"""The demo profile: Pinghu's, its invented contacts marked as demo; loaded
once, and staff's own edits survive a second run."""

import io

import pytest

from kexie.portal.about import demo, services
from kexie.portal.about.models import Department, Profile

pytestmark = pytest.mark.django_db


def _seed() -> str:
    from kexie.management.commands.seed_demo import DEMO_STAFF_EMAIL
    from kexie.platform.accounts.models import User

    if not User.objects.filter(email=DEMO_STAFF_EMAIL).exists():
        User.objects.create_superuser(email=DEMO_STAFF_EMAIL, password="x", name="演示工作人员")
    out = io.StringIO()
    demo.seed(stdout=out)
    return out.getvalue()


def test_the_demo_fills_pinghus_profile_marked_as_demo_and_keeps_staffs_edits(client):
    _seed()
    profile = Profile.objects.get()
    assert "平湖市科学技术协会" in profile.introduction and "演示" in profile.introduction
    assert "演示" in profile.address and profile.telephone.startswith("0573-")
    assert profile.icp_number and profile.psb_number
    assert Department.objects.count() == len(demo.DEPARTMENTS)
    assert profile.history.first().history_user.email == "staff@demo.kexie"
    body = client.get("/about/").content.decode()
    assert "办公室" in body and "beian.miit.gov.cn" in body

    profile.telephone = "0573-85111111"
    services.profile_save(profile=profile, by=None)
    _seed()
    assert Profile.objects.get().telephone == "0573-85111111"
    assert Department.objects.count() == len(demo.DEPARTMENTS)
