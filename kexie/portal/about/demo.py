"""The demo association's profile: Pinghu's, described in the portal's own
words, with invented contact details and filing numbers that say so (the
numbers are zeros, the address and the introduction are marked 演示). Safe to
run again: staff's own edits of an existing profile are left alone."""

from kexie.platform.accounts.models import User
from kexie.portal.about import services
from kexie.portal.about.models import Department, Profile

STAFF_EMAIL = "staff@demo.kexie"

#: Paragraphs without line breaks: a break inside Chinese text shows as a space.
INTRODUCTION = "".join(
    f"<p>{paragraph}</p>"
    for paragraph in (
        "平湖市科学技术协会（平湖市科协）是全市科技工作者自己的群众组织，在党委领导下，"
        "把学会、镇街道和企业的科协与广大科技工作者联系在一起，是党和政府联系科技工作者的桥梁。",
        "市科协按照“四服务一加强”的职责开展工作：服务科技工作者，服务创新发展，"
        "服务全民科学素质提升，服务党委政府科学决策。日常工作包括指导各学会和基层科协，"
        "组织学会凝智助力比拼赛；开展“科普万家”“小小科学+”等科普品牌活动，"
        "建设科普教育基地和科普e站；通过“科协帮”技术共享平台，"
        "把企业的技术难题与长三角的专家对接起来，并建设院士工作站、博士创新站和海智基地。",
        "欢迎科技工作者、企业和市民与我们联系。",
        "<em>演示站点：本页及页脚中的地址、电话、传真、邮箱和备案号均为虚构的演示数据。</em>",
    )
)

PROFILE = {
    "address": "浙江省平湖市当湖街道演示路 1 号（演示地址）",
    "postcode": "314200",
    "telephone": "0573-85000000",
    "fax": "0573-85000009",
    "email": "office@demo.kexie",
    "office_hours": "周一至周五 8:30—12:00，13:30—17:00（法定节假日除外）",
    "icp_number": "浙ICP备00000000号-1",
    "psb_number": "浙公网安备33048200000000号",
}

DEPARTMENTS = [
    ("办公室", "综合协调、文件、财务和机关党建", "0573-85000001"),
    ("学会学术部", "学会和基层科协的联系指导，比拼赛和人才举荐", "0573-85000002"),
    ("科学普及部", "科普活动、科普阵地和科普讲师团", "0573-85000003"),
    ("科技服务部", "“科协帮”技术需求对接、院士工作站和博士创新站", "0573-85000004"),
]


def seed(*, stdout) -> None:
    staff = User.objects.get(email=STAFF_EMAIL)
    if Profile.objects.exists():
        stdout.write("  about: the profile exists, left as it is")
        return
    profile = services.profile_save(
        profile=Profile(introduction=INTRODUCTION, **PROFILE),
        by=staff,
        reason="演示数据",
    )
    for order, (name, duties, telephone) in enumerate(DEPARTMENTS, start=1):
        services.department_save(
            department=Department(
                profile=profile, name=name, duties=duties, telephone=telephone, order=order
            ),
            by=staff,
        )
    stdout.write(f"  about: the profile and {len(DEPARTMENTS)} departments")
