"""科协帮's part of the personal-information duties: what it holds about a
signed-in account (an expert's profile and applications, the enterprises the
account acts for) and closing the account.

Closing keeps what the reports count (engagements, ratings, needs, the number
of experts and applications) and removes the person: the expert profile
leaves the pool and the public pages (saved through ``save()``, so the search
index and the page cache follow), its name, contacts and biography go, in its
change history too; an enterprise the account was the last to act for loses
its contact person's name and number.
"""

from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from experts.models import Enterprise, Expert, ExpertApplication
from experts.models.matching import ExpertVector

CLOSED = "（已注销）"


def _when(moment) -> str:
    return timezone.localtime(moment).strftime("%Y-%m-%d %H:%M") if moment else ""


def find_for_account(user) -> list[dict]:
    rows = []
    expert = Expert.objects.filter(user=user).first()
    if expert is not None:
        rows.append(
            {
                _("记录"): _("专家档案"),
                _("姓名"): expert.name,
                _("职称"): expert.get_title_display(),
                _("工作单位"): expert.organisation,
                _("所在地区"): expert.get_region_display(),
                _("联系电话"): expert.contact_phone,
                _("联系邮箱"): expert.contact_email,
                _("简介"): expert.biography,
                _("公开简介"): _("是") if expert.is_public else _("否"),
            }
        )
    for application in ExpertApplication.objects.filter(user=user).order_by("-created_at"):
        rows.append(
            {
                _("记录"): _("专家入库申请"),
                _("姓名"): application.name,
                _("工作单位"): application.organisation,
                _("简介"): application.biography,
                _("状态"): application.get_status_display(),
                _("申请时间"): _when(application.created_at),
            }
        )
    for enterprise in Enterprise.objects.filter(users=user).order_by("name"):
        rows.append(
            {
                _("记录"): _("企业"),
                _("企业名称"): enterprise.name,
                _("联系人"): enterprise.contact_name,
                _("联系电话"): enterprise.contact_phone,
            }
        )
    return rows


def _close_expert(expert: Expert) -> None:
    scrubbed = {"name": CLOSED, "contact_phone": "", "contact_email": "", "biography": ""}
    for field, value in scrubbed.items():
        setattr(expert, field, value)
    expert.is_public = False
    expert.is_active = False
    expert.weekly_digest = False
    expert.availability = Expert.Availability.UNAVAILABLE
    expert.user = None
    expert.person = None
    expert.save()
    ExpertVector.objects.filter(expert=expert).delete()
    expert.history.filter(id=expert.pk).update(**scrubbed, user=None, person=None)


def erase_for_account(user) -> int:
    changed = 0
    for expert in Expert.objects.filter(user=user):
        _close_expert(expert)
        changed += 1
    changed += ExpertApplication.objects.filter(user=user).update(
        name=CLOSED, organisation=CLOSED, biography="", keywords=[]
    )
    for enterprise in Enterprise.objects.filter(users=user):
        enterprise.users.remove(user)
        if not enterprise.users.exists():
            enterprise.contact_name = ""
            enterprise.contact_phone = ""
            enterprise.save()
            enterprise.history.filter(id=enterprise.pk).update(contact_name="", contact_phone="")
        changed += 1
    return changed


def register() -> None:
    from kexie.platform.privacy.registry import register_account_source

    register_account_source(
        "experts",
        label=gettext_lazy("科协帮"),
        find=find_for_account,
        erase=erase_for_account,
    )
