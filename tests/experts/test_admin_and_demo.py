import io

import pytest
from django.contrib import admin
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from experts import models
from experts.models import Engagement, Expert, ExpertApplication, TechNeed
from experts.services import needs
from tests.experts.test_needs import PDF

S = TechNeed.Status


def test_every_experts_model_has_an_admin():
    for model in models.__all__:
        assert admin.site.is_registered(getattr(models, model)), model


@pytest.mark.parametrize("model", models.__all__)
def test_staff_opens_every_admin_list_and_change_page(
    staff_client, matched_need, enterprise_user, model
):
    needs.need_attachment_add(
        need=matched_need, by=enterprise_user, upload=SimpleUploadedFile("图纸.pdf", PDF)
    )
    cls = getattr(models, model)
    opts = cls._meta
    url = reverse(f"admin:{opts.app_label}_{opts.model_name}_changelist")
    assert staff_client.get(url).status_code == 200
    obj = cls.objects.first()
    if obj is not None:
        change = reverse(f"admin:{opts.app_label}_{opts.model_name}_change", args=[obj.pk])
        assert staff_client.get(change).status_code == 200


def test_admin_is_closed_to_enterprises(login, enterprise_user):
    response = login(enterprise_user).get(reverse("admin:experts_techneed_changelist"))
    assert response.status_code == 302


def test_need_status_cannot_be_edited_in_the_admin(staff_client, draft_need):
    url = reverse("admin:experts_techneed_change", args=[draft_need.pk])
    page = staff_client.get(url).content.decode()
    assert 'name="status"' not in page


def _seed(out):
    # Only this app's part of seed_demo, with the staff user the command creates.
    from experts import demo
    from kexie.management.commands.seed_demo import DEMO_STAFF_EMAIL
    from kexie.platform.accounts.models import User

    if not User.objects.filter(email=DEMO_STAFF_EMAIL).exists():
        User.objects.create_superuser(email=DEMO_STAFF_EMAIL, password="x", name="演示工作人员")
    demo.seed(stdout=out)


# The whole demo twice, its vocabulary encoded by both sentence encoders:
# 47 s on a quiet machine, past the suite's 300 s hang guard at load 7.
@pytest.mark.timeout(900)
def test_seed_demo_fills_every_state_and_can_run_twice(db, settings, monkeypatch):
    from experts import demo

    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    # Sixty experts (six of each profile) walk every need as two hundred do; each
    # step rebuilds the matching index over all of them, most of this test's time.
    monkeypatch.setattr(demo, "EXPERT_COUNT", 60)
    out = io.StringIO()
    _seed(out)
    counts = {status: TechNeed.objects.filter(status=status).count() for status in S.values}
    assert all(counts.values()), counts
    # Sixty needs in the closed loop, and the newcomer's half-written first one.
    assert sum(counts.values()) == 61
    # The experts, and the one staff invited before they had an account.
    assert Expert.objects.count() == 61
    assert Engagement.objects.filter(rating__isnull=False).count() >= 8
    assert "enterprise@demo.kexie" in out.getvalue()
    assert "expert@demo.kexie" in out.getvalue()
    # First days: an application waiting, an enterprise half-way, an invited expert.
    application = ExpertApplication.objects.get(user__email="applicant@demo.kexie")
    assert application.status == ExpertApplication.Status.PENDING
    halfway = TechNeed.objects.get(enterprise__users__email="newcomer@demo.kexie")
    assert halfway.status == S.DRAFT
    assert halfway.missing_for_review() == ["公开摘要", "需求类型", "所属领域"]
    invited = Expert.objects.get(contact_email="invited-expert@demo.kexie")
    assert invited.user is None
    assert invited.invitations.exists()
    assert "newcomer@demo.kexie" in out.getvalue()
    # Every history was written by the workflow: it starts with a draft and
    # each row's from-status is the previous row's to-status.
    for need in TechNeed.objects.prefetch_related("transitions"):
        steps = sorted(need.transitions.all(), key=lambda t: (t.at, t.pk))
        assert steps[0].to_status == S.DRAFT
        for before, after in zip(steps, steps[1:], strict=False):
            assert after.from_status == before.to_status
        assert steps[-1].to_status == need.status

    _seed(io.StringIO())
    assert TechNeed.objects.count() == 61
    assert Expert.objects.count() == 61
    assert ExpertApplication.objects.count() == 1


def test_the_demo_vocabulary_agrees_with_the_shipped_one():
    """One vocabulary: the demo adds entries only with words the shipped one
    lacks, and its profiles and needs name each keyword by its entry."""
    import json

    from experts.demo.data import DATA
    from experts.matching.evaluation import VOCABULARY_PATH

    shipped = json.loads(VOCABULARY_PATH.read_text(encoding="utf-8"))["vocabulary"]
    shipped_words = {word for entry in shipped for word in [entry["name"], *entry["synonyms"]]}
    demo_words = [
        word for entry in DATA["keywords"] for word in [entry["name"], *entry["synonyms"]]
    ]
    assert not shipped_words & set(demo_words)
    assert len(demo_words) == len(set(demo_words))
    entries = {entry["name"] for entry in shipped} | {entry["name"] for entry in DATA["keywords"]}
    named = {word for row in DATA["profiles"] + DATA["needs"] for word in row["keywords"]}
    assert named <= entries
