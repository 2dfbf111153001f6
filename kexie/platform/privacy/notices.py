"""The notices (个人信息告知) shown at every form that collects personal
data: what is collected, why, for how long, who to ask. A notice's version
changes whenever its text does, and the consent records say which version a
person saw."""

from dataclasses import dataclass

from django.conf import settings
from django.utils.translation import gettext as _

from kexie.platform.lib.site import site_name

# Each notice's version: changed whenever its text is. Kept apart from the
# texts so that recording a consent does not build (translate) every notice.
VERSIONS = {
    "signup": "2026-12.2",
    "lecture_request": "2026-12.2",
    "account": "2026-12",
    "data_request": "2026-12",
    "recover": "2026-12",
    "expert_link": "2026-12",
    "enterprise": "2026-12",
    "expert": "2026-12",
    "feedback": "2026-12",
}


@dataclass(frozen=True)
class Notice:
    key: str
    version: str
    what: str
    why: str
    how_long: str
    who: str


def _contact() -> str:
    return _(
        "如需查询、导出或删除您的信息，可在本站“我的个人信息”页面凭手机验证码自助办理，或联系%(site)s（%(contact)s）。"
    ) % {
        "site": site_name(),
        "contact": settings.PRIVACY_CONTACT,
    }


def _notices() -> dict[str, Notice]:
    months = settings.PRIVACY_SIGNUP_RETENTION_MONTHS
    return {
        "signup": Notice(
            key="signup",
            version=VERSIONS["signup"],
            what=_("姓名、手机号码、参加人数，以及您选填的电子邮箱。"),
            why=_(
                "确认报名、发送提醒和变更通知、现场签到，以及活动后的匿名反馈邀请和参加证明；热门活动报名时先用短信验证码确认手机号码。"
            ),
            how_long=_("活动结束%(months)s个月后，姓名和联系方式自动匿名化，只保留人数用于统计。")
            % {"months": months},
            who=_contact(),
        ),
        "lecture_request": Notice(
            key="lecture_request",
            version=VERSIONS["lecture_request"],
            what=_("申请单位、联系人姓名和手机号码、讲座需求。"),
            why=_("联系您安排讲座，并告知受理结果。"),
            how_long=_("申请提交%(months)s个月后，联系人姓名和电话自动匿名化。")
            % {"months": months},
            who=_contact(),
        ),
        "account": Notice(
            key="account",
            version=VERSIONS["account"],
            what=_("姓名、手机号码和/或电子邮箱、密码（加密保存）。"),
            why=_("登录和使用科协帮等需要账户的服务，并接收与您相关的通知。"),
            how_long=_("保存至您注销账户；注销后账户信息删除或匿名化。"),
            who=_contact(),
        ),
        "data_request": Notice(
            key="data_request",
            version=VERSIONS["data_request"],
            what=_("您输入的手机号码（仅用于发送验证码）。"),
            why=_("确认您是这个号码的主人，再向您展示、导出或删除相关信息。"),
            how_long=_("验证码在短时间内失效，验证记录一天后删除。"),
            who=_contact(),
        ),
        "recover": Notice(
            key="recover",
            version=VERSIONS["recover"],
            what=_("您输入的手机号码（仅用于发送验证码）。"),
            why=_("确认您是这个号码的主人，再向您展示用这个号码报名的活动和专属链接。"),
            how_long=_("验证码在短时间内失效，验证记录一天后删除。"),
            who=_contact(),
        ),
        "expert_link": Notice(
            key="expert_link",
            version=VERSIONS["expert_link"],
            what=_("您输入的邮箱或手机号码（仅用于发送验证码）。"),
            why=_("确认专家档案中登记的联系方式属于您，再把档案关联到您的账户。"),
            how_long=_("验证码在短时间内失效，验证记录一天后删除。"),
            who=_contact(),
        ),
        "enterprise": Notice(
            key="enterprise",
            version=VERSIONS["enterprise"],
            what=_(
                "企业名称、统一社会信用代码、行业、所在镇街道、规模、简介，以及联系人姓名和联系电话。"
            ),
            why=_(
                "核实企业身份，发布技术需求并与专家对接；联系人和电话只给科协工作人员和与您对接的专家看，不公开。"
            ),
            how_long=_(
                "在您使用科协帮期间保存；注销账户且企业没有其他账户时，联系人姓名和电话随之删除，企业名称和对接统计保留。"
            ),
            who=_contact(),
        ),
        "expert": Notice(
            key="expert",
            version=VERSIONS["expert"],
            what=_("姓名、职称、工作单位、所在地区、专业领域、关键词和简介。"),
            why=_("审核入库，向有技术需求的企业推荐您并联系对接；您选择公开时，简介展示在专家库。"),
            how_long=_(
                "在您是入库专家期间保存；注销账户后，您的专家档案不再公开、不再推荐，姓名和联系方式删除，已完成对接的统计保留。"
            ),
            who=_contact(),
        ),
        "feedback": Notice(
            key="feedback",
            version=VERSIONS["feedback"],
            what=_("您对活动的评分和意见，不含姓名、手机号码或报名信息。"),
            why=_("改进科普活动；结果只以汇总的形式给工作人员看。"),
            how_long=_("匿名答卷长期保存用于统计，无法也不会与您的报名对应。"),
            who=_contact(),
        ),
    }


def notice(key: str) -> Notice:
    return _notices()[key]


def notice_version(key: str) -> str:
    """The version of a notice, without building its texts."""
    return VERSIONS[key]
