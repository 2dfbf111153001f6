"""Certificates of attendance: the attendee's page and printable PDF with a
QR code, a public check page that shows only that it is genuine (name
masked), revocation, and finding them by phone number with a code."""

import re
from datetime import timedelta
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from kexie.platform.verification.models import VerificationCode
from outreach.models import Certificate, Registration
from outreach.models.certificates import mask_name
from outreach.services.certificates import certificate_for_registration, certificate_revoke
from tests.helpers import sent_sms
from tests.outreach.conftest import NOW
from tests.outreach.factories import EventFactory, RegistrationFactory

ATTENDED = Registration.Status.ATTENDED


@pytest.fixture
def youth_event(db):
    return EventFactory(
        title="青少年航模实践营",
        starts_at=NOW - timedelta(days=1, hours=3),
        ends_at=NOW - timedelta(days=1),
        gives_certificate=True,
        certificate_hours=Decimal("3.0"),
    )


@pytest.fixture
def child(youth_event):
    return RegistrationFactory(
        event=youth_event, name="王小明", phone="13912345678", status=ATTENDED, attended_count=1
    )


def test_attendee_gets_a_certificate_with_hours(child):
    certificate = certificate_for_registration(child)
    assert certificate.holder_name == "王小明"
    assert certificate.hours == Decimal("3.0")
    assert certificate_for_registration(child) == certificate  # issued once
    assert Certificate.objects.count() == 1


@pytest.mark.parametrize(
    "status", [Registration.Status.NO_SHOW, Registration.Status.CONFIRMED, "cancelled"]
)
def test_no_certificate_without_check_in(youth_event, status):
    registration = RegistrationFactory(event=youth_event, status=status)
    assert certificate_for_registration(registration) is None


def test_no_certificate_for_an_event_without_one_or_not_over(child, youth_event):
    youth_event.gives_certificate = False
    youth_event.certificate_hours = None
    youth_event.save()
    assert certificate_for_registration(child) is None
    coming = EventFactory(gives_certificate=True)
    early = RegistrationFactory(event=coming, status=ATTENDED, attended_count=1)
    assert certificate_for_registration(early) is None


def test_hours_only_on_an_event_giving_certificates(db):
    event = EventFactory.build(certificate_hours=Decimal("2"), gives_certificate=False)
    with pytest.raises(ValidationError, match="填写时长的活动须发放参加证明"):
        event.full_clean(exclude=["venue"])


def test_certificate_page_and_pdf_for_the_holder(client, child):
    page = client.get(reverse("outreach:certificate", args=[child.code]))
    assert page.status_code == 200
    html = page.content.decode()
    assert "王小明" in html and "3小时" in html and "<svg" in html
    pdf = client.get(reverse("outreach:certificate_pdf", args=[child.code]))
    assert pdf.status_code == 200
    assert pdf["Content-Type"] == "application/pdf"
    assert pdf.content.startswith(b"%PDF")
    assert b"/MediaBox [ 0 0 595.2756 841.8898 ]" in pdf.content  # A4


def test_the_certificate_page_reads_in_english_without_chinese_colons(client, child):
    client.get(reverse("switch_language", args=["en"]))
    html = client.get(reverse("outreach:certificate", args=[child.code])).content.decode()
    assert "Date: 31 May 2026" in html
    assert f"Place: {child.event.venue.name}" in html
    assert "Certificate no.: " in html
    assert "：" not in html.split('class="certificate-sheet')[1].split("</section>")[0]


def test_the_image_carries_the_cjk_font_the_pdf_embeds(settings):
    from pathlib import Path

    dockerfile = (Path(__file__).resolve().parents[2] / "Dockerfile").read_text()
    assert "fonts-wqy-microhei" in dockerfile.split("AS proxy")[0]
    # The package's file, as Debian installs it, is the default font path.
    assert settings.CERTIFICATE_FONT_PATH == "/usr/share/fonts/truetype/wqy/wqy-microhei.ttc"


def test_the_pdf_embeds_the_cjk_font_when_it_is_installed(client, child, settings):
    from pathlib import Path

    if not Path(settings.CERTIFICATE_FONT_PATH).is_file():
        pytest.skip("fonts-wqy-microhei is not installed here (make browser-deps installs it)")
    pdf = client.get(reverse("outreach:certificate_pdf", args=[child.code])).content
    # A TrueType subset of WenQuanYi Micro Hei, not a font name left to the viewer.
    assert b"/FontFile2" in pdf and b"WenQuanYi" in pdf


def test_a_sign_up_without_a_certificate_has_no_page(client, youth_event):
    registration = RegistrationFactory(event=youth_event, status=Registration.Status.NO_SHOW)
    assert client.get(reverse("outreach:certificate", args=[registration.code])).status_code == 404
    assert client.get(reverse("outreach:certificate_pdf", args=["nope"])).status_code == 404


@pytest.mark.parametrize(
    ("status", "gives", "over", "reason"),
    [
        ("no_show", True, True, "这次报名没有签到记录。如您到场却没有签到，请联系主办方。"),
        ("confirmed", True, False, "参加证明在活动结束后发给现场签到的参加者。"),
        ("attended", True, False, "参加证明在活动结束后发给现场签到的参加者。"),
        ("attended", False, True, "这场活动不发参加证明。"),
    ],
)
def test_the_holder_without_a_certificate_is_told_why_and_led_back(
    client, youth_event, status, gives, over, reason
):
    youth_event.gives_certificate = gives
    youth_event.certificate_hours = youth_event.certificate_hours if gives else None
    if not over:
        youth_event.starts_at = NOW + timedelta(hours=1)
        youth_event.ends_at = NOW + timedelta(hours=3)
    youth_event.save()
    registration = RegistrationFactory(event=youth_event, status=status)
    for name in ("outreach:certificate", "outreach:certificate_pdf"):
        response = client.get(reverse(name, args=[registration.code]))
        html = response.content.decode()
        assert response.status_code == 404
        assert "这次报名没有参加证明" in html
        assert reason in html
        assert reverse("outreach:registration_manage", args=[registration.code]) in html
    assert not Certificate.objects.exists()


def test_the_sign_up_page_says_a_revoked_certificate_is_revoked(client, child, staff_user):
    page = reverse("outreach:registration_manage", args=[child.code])
    html = client.get(page).content.decode()
    assert reverse("outreach:certificate_pdf", args=[child.code]) in html
    certificate_revoke(
        certificate=certificate_for_registration(child), by=staff_user, reason="签到记录有误"
    )
    html = client.get(page).content.decode()
    assert "这份参加证明已被撤销，不再有效。 签到记录有误" in html
    assert reverse("outreach:certificate_pdf", args=[child.code]) not in html


def test_after_the_event_the_sign_up_page_shows_no_door_code(client, child, youth_event):
    html = client.get(reverse("outreach:registration_manage", args=[child.code])).content.decode()
    assert "入场签到二维码" not in html
    youth_event.starts_at = NOW + timedelta(days=1)
    youth_event.ends_at = NOW + timedelta(days=1, hours=2)
    youth_event.save()
    html = client.get(reverse("outreach:registration_manage", args=[child.code])).content.decode()
    assert "入场签到二维码" in html


def test_check_page_says_genuine_and_reveals_no_full_name_or_number(client, child):
    certificate = certificate_for_registration(child)
    page = client.get(certificate.get_absolute_url())
    html = page.content.decode()
    assert page.status_code == 200
    assert "真实有效" in html
    assert "王**" in html
    assert "王小明" not in html
    assert "13912345678" not in html and "5678" not in html
    assert child.code not in html


def test_revoked_certificate_says_so(client, child, staff_user):
    certificate = certificate_for_registration(child)
    with pytest.raises(ValidationError):
        certificate_revoke(certificate=certificate, by=staff_user, reason="  ")
    certificate_revoke(certificate=certificate, by=staff_user, reason="签到记录有误")
    html = client.get(certificate.get_absolute_url()).content.decode()
    assert "此证明已撤销" in html
    assert "真实有效" not in html
    holder = client.get(reverse("outreach:certificate", args=[child.code])).content.decode()
    assert "已被撤销" in holder


def test_staff_revoke_from_the_admin_with_the_reason_they_type(staff_client, client, child):
    certificate = certificate_for_registration(child)
    url = reverse("admin:outreach_certificate_changelist")
    chosen = {"action": "revoke", "_selected_action": [certificate.pk]}
    asked = staff_client.post(url, chosen)
    assert asked.status_code == 200
    assert "撤销原因" in asked.content.decode()
    certificate.refresh_from_db()
    assert not certificate.is_revoked  # nothing happens before the reason is given
    empty = staff_client.post(url, {**chosen, "apply": "1", "reason": " "})
    assert "请填写撤销原因。" in empty.content.decode()
    certificate.refresh_from_db()
    assert not certificate.is_revoked
    done = staff_client.post(url, {**chosen, "apply": "1", "reason": "签到记录有误"})
    assert done.status_code == 302
    certificate.refresh_from_db()
    assert certificate.is_revoked and certificate.revoke_reason == "签到记录有误"
    html = client.get(certificate.get_absolute_url()).content.decode()
    assert "此证明已撤销" in html and "撤销原因：签到记录有误" in html


def test_forged_check_code_is_not_found(client, child):
    certificate_for_registration(child)
    page = client.get(reverse("outreach:certificate_check", args=["forged-code"]))
    assert page.status_code == 404
    assert "没有找到这份证明" in page.content.decode()


def test_names_are_masked():
    assert mask_name("张三") == "张*"
    assert mask_name("欧阳小明") == "欧***"
    assert mask_name("") == "*"


def test_person_finds_certificates_by_phone_with_a_code(
    client, child, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("outreach:recover_start"), {"phone": "13912345678"})
    assert VerificationCode.objects.filter(address="13912345678").exists()
    [(_phone, text)] = sent_sms("13912345678")
    code = re.search(r"验证码(\d{6})，", text).group(1)
    client.post(reverse("outreach:recover_code"), {"code": code})
    page = client.get(reverse("outreach:recover_list"))
    assert reverse("outreach:certificate", args=[child.code]) in page.content.decode()
