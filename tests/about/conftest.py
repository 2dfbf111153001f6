import pytest

from kexie.portal.about import services
from kexie.portal.about.models import Department, Profile


def make_profile(by=None, *, departments: int = 2, **fields) -> Profile:
    values = {
        "introduction": "<p>平湖市科协是科技工作者的群众组织。</p>",
        "address": "平湖市当湖街道演示路1号",
        "postcode": "314200",
        "telephone": "0573-85000000",
        "email": "office@demo.kexie",
        "office_hours": "周一至周五 8:30—17:00",
        "icp_number": "浙ICP备12345678号-1",
        "psb_number": "浙公网安备33048202000123号",
        **fields,
    }
    profile = services.profile_save(profile=Profile(**values), by=by)
    for n in range(departments):
        services.department_save(
            department=Department(
                profile=profile, name=f"科室{n}", telephone=f"0573-8500{n:04d}", order=n
            ),
            by=by,
        )
    return profile


@pytest.fixture
def profile(db):
    return make_profile()
