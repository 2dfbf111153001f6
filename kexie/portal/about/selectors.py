"""What the about page and the footer read."""

from dataclasses import dataclass

from kexie.platform.lib.validators import normalize_phone
from kexie.portal.about import kept
from kexie.portal.about.models import Department, Profile
from kexie.portal.about.validators import psb_code
from members.selectors import org_directory

#: Where an ICP filing is checked (the MIIT's filing system): the footer links it.
ICP_URL = "https://beian.miit.gov.cn/"
#: The public-security filing's record page, by its 14 digits.
PSB_URL = "https://beian.mps.gov.cn/#/query/webSearch?code={code}"


@dataclass(frozen=True)
class Contact:
    address: str = ""
    postcode: str = ""
    telephone: str = ""
    fax: str = ""
    email: str = ""
    office_hours: str = ""
    icp_number: str = ""
    psb_number: str = ""

    @property
    def telephone_href(self) -> str:
        return f"tel:{normalize_phone(self.telephone)}" if self.telephone else ""

    @property
    def email_href(self) -> str:
        return f"mailto:{self.email}" if self.email else ""

    @property
    def icp_url(self) -> str:
        return ICP_URL if self.icp_number else ""

    @property
    def psb_url(self) -> str:
        return PSB_URL.format(code=psb_code(self.psb_number)) if self.psb_number else ""

    @property
    def any(self) -> bool:
        return any(
            (self.address, self.postcode, self.telephone, self.fax, self.email, self.office_hours)
        )


def contact(profile: Profile | None) -> Contact:
    if profile is None:
        return Contact()
    return Contact(
        **{name: getattr(profile, name) for name in Contact.__dataclass_fields__},
    )


def department_href(department: Department) -> str:
    return f"tel:{normalize_phone(department.telephone)}"


@dataclass(frozen=True)
class AboutPage:
    profile: Profile | None
    contact: Contact
    departments: list[dict]
    societies: int
    branches: int


def about_page() -> AboutPage:
    """The about page: the kept profile (no query while it is current), then
    the counts of the organisations' directory, as /orgs/ counts them."""
    shown = kept.shown()
    directory = org_directory()
    return AboutPage(
        profile=shown.profile,
        contact=contact(shown.profile),
        departments=[
            {"department": department, "href": department_href(department)}
            for department in shown.departments
        ],
        # the societies' count, the branches' count
        societies=directory.societies.count(),
        branches=directory.branches.count(),
    )
