import datetime
import re
from decimal import Decimal

import pytest
from django.urls import reverse

from members.models import Branch, Honor, Position, Society
from tests.factories import BranchFactory, PersonFactory, SocietyFactory, TownFactory
from tests.members.factories import (
    ContestProjectFactory,
    HonorFactory,
    PositionFactory,
    ProgressUpdateFactory,
)

pytestmark = pytest.mark.django_db

D = datetime.date
PRIVATE_PHONE = "13905731234"
PRIVATE_EMAIL = "secret.person@example.cn"
PRIVATE_BIRTH_YEAR = 1967


@pytest.fixture
def private_person():
    return PersonFactory(
        name="钱秘书长",
        phone=PRIVATE_PHONE,
        email=PRIVATE_EMAIL,
        birth_year=PRIVATE_BIRTH_YEAR,
        title="高级工程师",
    )


def body(response) -> str:
    return response.content.decode()


# /orgs/


def test_org_list_shows_societies_and_branches(client, manager_branch):
    SocietyFactory(name="平湖市机械工程学会")
    response = client.get(reverse("members:org_list"))
    assert response.status_code == 200
    assert "平湖市机械工程学会" in body(response)
    assert "当湖街道科协" in body(response)


def test_org_list_hides_dissolved_societies(client, db):
    SocietyFactory(name="已注销的学会", status=Society.Status.DISSOLVED)
    assert "已注销的学会" not in body(client.get(reverse("members:org_list")))


def test_chinese_search_finds_a_name_by_its_words(client, db):
    SocietyFactory(name="平湖市机械工程学会")
    SocietyFactory(name="平湖市医学会")
    page = body(client.get(reverse("members:org_list"), {"q": "机械学会"}))
    assert "平湖市机械工程学会" in page
    assert "平湖市医学会" not in page


def test_filter_by_kind_shows_only_that_kind(client, manager_branch, own_village):
    SocietyFactory(name="平湖市医学会")
    response = client.get(reverse("members:org_list"), {"kind": Branch.Kind.COMMUNITY})
    assert list(response.context["branches"]) == [own_village]
    assert "平湖市医学会" not in body(response)


def test_filter_by_society_kind_shows_only_societies(client, manager_branch):
    SocietyFactory(name="平湖市医学会")
    page = body(client.get(reverse("members:org_list"), {"kind": "society"}))
    assert "平湖市医学会" in page
    assert "当湖街道科协" not in page


def test_filter_by_town_shows_that_towns_branches(client, manager_branch, other_branch):
    page = body(client.get(reverse("members:org_list"), {"town": other_branch.town_id}))
    assert "新埭镇科协" in page
    assert "当湖街道科协" not in page


def test_bad_filter_values_give_an_error_not_a_500(client, manager_branch):
    response = client.get(reverse("members:org_list"), {"town": "abc", "kind": "nope", "sp": "x"})
    assert response.status_code == 200
    page = body(response)
    assert "当湖街道科协" in page  # the bad filters are ignored
    assert "选择一个有效的选项" in page


# Society and branch pages


def test_society_page_shows_current_office_holders_honours_and_projects(client, private_person):
    society = SocietyFactory(name="平湖市机械工程学会", description="机械行业的学术团体。")
    PositionFactory(person=private_person, society=society, role=Position.Role.SECRETARY_GENERAL)
    PositionFactory(
        person=PersonFactory(name="卸任会长"),
        society=society,
        role=Position.Role.PRESIDENT,
        start=D(2015, 1, 1),
        end=D(2020, 12, 31),
    )
    HonorFactory(name="平湖市先进学会", person=None, society=society, year=2021)
    project = ContestProjectFactory(society=society, title="中小企业数字化诊断服务", rank=2)
    ProgressUpdateFactory(project=project, text="完成三家企业的诊断报告。")

    page = body(client.get(society.get_absolute_url()))
    assert "机械行业的学术团体。" in page
    assert "钱秘书长" in page and "秘书长" in page
    assert "卸任会长" not in page
    assert "平湖市先进学会" in page
    assert "中小企业数字化诊断服务" in page and "第 2 名" in page
    assert "完成三家企业的诊断报告。" in page


def test_dissolved_society_page_is_404_for_the_public_but_not_for_staff(client, staff_client):
    society = SocietyFactory(status=Society.Status.DISSOLVED)
    assert client.get(society.get_absolute_url()).status_code == 404
    assert staff_client.get(society.get_absolute_url()).status_code == 200


def test_branch_page_shows_which_of_the_three_heads_are_in_place(client, manager_branch):
    PositionFactory(
        person=PersonFactory(name="院长甲", employer="当湖街道社区卫生服务中心"),
        society=None,
        branch=manager_branch,
        role=Position.Role.HOSPITAL_HEAD,
    )
    PositionFactory(
        person=PersonFactory(name="校长乙"),
        society=None,
        branch=manager_branch,
        role=Position.Role.SCHOOL_HEAD,
    )
    response = client.get(manager_branch.get_absolute_url())
    three_heads = response.context["three_heads"]
    assert [head["label"] for head in three_heads] == ["医院院长", "学校校长", "农技站站长"]
    assert [bool(head["position"]) for head in three_heads] == [True, True, False]
    page = body(response)
    assert "“三长制”落实情况" in page
    assert "院长甲" in page and "校长乙" in page and "空缺" in page


def test_village_branch_page_has_no_three_heads_section(client, own_village):
    page = body(client.get(own_village.get_absolute_url()))
    assert "“三长制”落实情况" not in page


def test_branch_page_lists_children_honours_and_partnered_projects(
    client, manager_branch, own_village
):
    HonorFactory(
        name="百佳企业科协", person=None, branch=manager_branch, level=Honor.Level.PROVINCIAL
    )
    project = ContestProjectFactory(title="慢病健康管理进社区")
    project.branches.add(manager_branch)
    page = body(client.get(manager_branch.get_absolute_url()))
    assert "当湖街道东湖社区科协" in page
    assert "百佳企业科协" in page
    assert "慢病健康管理进社区" in page


def test_org_pages_leave_a_place_for_other_apps_sections(client, manager_branch):
    response = client.get(manager_branch.get_absolute_url())
    assert "org_sections" in response.context
    assert "members/_org_sections.html" in [t.name for t in response.templates]


def test_unknown_organisation_is_404(client, db):
    assert client.get(reverse("members:society_detail", args=[999])).status_code == 404
    assert client.get(reverse("members:branch_detail", args=[999])).status_code == 404


# Private data never on public pages


def test_private_fields_never_appear_on_public_pages(client, manager_branch, private_person):
    society = SocietyFactory()
    PositionFactory(person=private_person, society=society, role=Position.Role.PRESIDENT)
    PositionFactory(
        person=private_person, society=None, branch=manager_branch, role=Position.Role.CHAIR
    )
    HonorFactory(person=private_person, year=2022)
    ContestProjectFactory(society=society, year=2022)
    urls = [
        reverse("members:org_list"),
        society.get_absolute_url(),
        manager_branch.get_absolute_url(),
        reverse("members:honor_list"),
        reverse("members:contest_year", args=[2022]),
        reverse("home"),
    ]
    for url in urls:
        page = body(client.get(url))
        assert PRIVATE_PHONE not in page, url
        assert PRIVATE_EMAIL not in page, url
        assert str(PRIVATE_BIRTH_YEAR) not in page, url
    assert "钱秘书长" in body(client.get(society.get_absolute_url()))


# /honors/


def test_honor_roll_groups_by_year_and_orders_by_level(client, db):
    HonorFactory(name="县级奖", level=Honor.Level.COUNTY, year=2022)
    HonorFactory(name="国家级奖", level=Honor.Level.NATIONAL, year=2022)
    HonorFactory(name="去年的奖", level=Honor.Level.PROVINCIAL, year=2021)
    page = body(client.get(reverse("members:honor_list")))
    assert page.index("2022 年") < page.index("国家级奖") < page.index("县级奖")
    assert page.index("县级奖") < page.index("2021 年") < page.index("去年的奖")


def test_honor_roll_filters_by_year_and_level(client, db):
    HonorFactory(name="县级奖", level=Honor.Level.COUNTY, year=2022)
    HonorFactory(name="国家级奖", level=Honor.Level.NATIONAL, year=2022)
    HonorFactory(name="去年的奖", level=Honor.Level.NATIONAL, year=2021)
    page = body(client.get(reverse("members:honor_list"), {"year": 2022, "level": "national"}))
    assert "国家级奖" in page
    assert "县级奖" not in page and "去年的奖" not in page


def test_honor_roll_survives_a_bad_year(client, db):
    HonorFactory(name="县级奖")
    response = client.get(reverse("members:honor_list"), {"year": "二〇二二", "page": "999"})
    assert response.status_code == 200
    assert "县级奖" in body(response)


# /contest/<year>/


def test_contest_page_lists_ranked_projects_first_with_progress_and_results(client, db):
    ContestProjectFactory(year=2022, title="未评分项目")
    second = ContestProjectFactory(year=2022, title="第二名项目", score=Decimal("88"), rank=2)
    ContestProjectFactory(
        year=2022, title="第一名项目", score=Decimal("95"), rank=1, result="服务企业30家。"
    )
    ProgressUpdateFactory(project=second, date=D(2022, 5, 1), text="五月走访完成。")
    ContestProjectFactory(year=2021, title="去年的项目")
    page = body(client.get(reverse("members:contest_year", args=[2022])))
    assert page.index("第一名项目") < page.index("第二名项目") < page.index("未评分项目")
    assert "95.00 分" in page and "服务企业30家。" in page
    assert "五月走访完成。" in page
    assert "去年的项目" not in page


def test_contest_index_redirects_to_the_latest_year(client, db):
    ContestProjectFactory(year=2021)
    ContestProjectFactory(year=2022)
    response = client.get(reverse("members:contest_index"))
    assert response.status_code == 302
    assert response.url == reverse("members:contest_year", args=[2022])


def test_contest_index_without_projects_says_so(client, db):
    response = client.get(reverse("members:contest_index"))
    assert response.status_code == 200
    assert "暂无比拼赛项目。" in body(response)


def test_contest_year_without_projects_is_404(client, db):
    assert client.get(reverse("members:contest_year", args=[1999])).status_code == 404


# Home page


def test_home_page_shows_the_members_figures(client, manager_branch):
    SocietyFactory()
    HonorFactory()
    response = client.get(reverse("home"))
    page = body(response)
    assert "学会与基层组织" in page
    section = page.split('aria-labelledby="members-figures-heading"', 1)[1].split("</section>")[0]
    figures = re.findall(
        r'<div class="display-6">(\d+)</div><div class="text-muted">([^<]+)</div>', section
    )
    assert [(count, label.strip()) for count, label in figures] == [
        ("1", "学会"),
        ("1", "基层组织"),
        ("1", "科技工作者"),
        ("1", "荣誉"),
    ]


# Staff report


def test_three_heads_report_counts_the_towns_with_all_three(
    staff_client, manager_branch, other_branch
):
    for role in Position.THREE_HEADS:
        PositionFactory(society=None, branch=manager_branch, role=role)
    PositionFactory(society=None, branch=other_branch, role=Position.Role.SCHOOL_HEAD)
    response = staff_client.get(reverse("members:three_heads_report"))
    coverage = response.context["coverage"]
    assert (coverage["complete"], coverage["total"], coverage["percent"]) == (1, 2, 50)
    assert "1 / 2 个镇街道科协三长全部到位（50%）。" in body(response)


# Query budgets: the same at 5 rows as at 200.


def _many_orgs(count):
    town = TownFactory(name="乍浦镇")
    for n in range(count):
        SocietyFactory(name=f"学会{n:03d}")
        BranchFactory(name=f"基层组织{n:03d}", town=town, kind=Branch.Kind.ENTERPRISE)


@pytest.mark.parametrize("rows", [5, 200])
def test_org_list_query_budget(client, db, django_assert_max_num_queries, rows):
    _many_orgs(rows)
    # societies count + page, branches count + page (town and parent joined),
    # towns for the filter's choices
    with django_assert_max_num_queries(5):
        response = client.get(reverse("members:org_list"), {"q": "学会", "kind": ""})
    assert response.status_code == 200


def _busy_society(rows):
    society = SocietyFactory(name="忙碌的学会")
    branch = BranchFactory(name="忙碌的镇科协")
    for n in range(rows):
        PositionFactory(society=society, person=PersonFactory(name=f"理事{n}"))
        PositionFactory(society=None, branch=branch, person=PersonFactory(name=f"委员{n}"))
        HonorFactory(person=None, society=society, year=2000 + n % 20)
        HonorFactory(person=None, branch=branch, year=2000 + n % 20)
        project = ContestProjectFactory(society=society, year=2000 + n % 20)
        project.branches.add(branch)
        ProgressUpdateFactory(project=project, date=D(2000 + n % 20, 6, 1))
        BranchFactory(name=f"下级{n}", parent=branch, town=branch.town, kind=Branch.Kind.VILLAGE)
    return society, branch


@pytest.mark.parametrize("rows", [5, 200])
def test_society_page_query_budget(client, db, django_assert_max_num_queries, rows):
    society, _branch = _busy_society(rows)
    # society, current positions with people, honours, projects with society,
    # their progress updates, the society's upcoming events (outreach section)
    with django_assert_max_num_queries(6):
        response = client.get(society.get_absolute_url())
    assert response.status_code == 200


@pytest.mark.parametrize("rows", [5, 200])
def test_branch_page_query_budget(client, db, django_assert_max_num_queries, rows):
    _society, branch = _busy_society(rows)
    # branch with town and parent, current positions with people, children,
    # honours, projects with society, their progress updates, the branch's
    # upcoming events (outreach section)
    with django_assert_max_num_queries(7):
        response = client.get(branch.get_absolute_url())
    assert response.status_code == 200


@pytest.mark.parametrize("rows", [5, 200])
def test_honor_roll_query_budget(client, db, django_assert_max_num_queries, rows):
    society = SocietyFactory()
    branch = BranchFactory()
    for n in range(rows):
        HonorFactory(year=2000 + n % 20)
        HonorFactory(person=None, society=society, year=2000 + n % 20)
        HonorFactory(person=None, branch=branch, year=2000 + n % 20)
    # count, page of honours with person, society and branch joined, years
    with django_assert_max_num_queries(3):
        response = client.get(reverse("members:honor_list"))
    assert response.status_code == 200


@pytest.mark.parametrize("rows", [5, 200])
def test_contest_year_query_budget(client, db, django_assert_max_num_queries, rows):
    branch = BranchFactory()
    for n in range(rows):
        project = ContestProjectFactory(year=2022, score=Decimal(50), rank=n + 1)
        project.branches.add(branch)
        ProgressUpdateFactory(project=project)
        ProgressUpdateFactory(project=project)
    # years, projects with society, progress updates, partner branches,
    # projects per domain
    with django_assert_max_num_queries(5):
        response = client.get(reverse("members:contest_year", args=[2022]))
    assert response.status_code == 200


@pytest.mark.parametrize("rows", [5, 200])
def test_three_heads_report_query_budget(staff_client, db, django_assert_max_num_queries, rows):
    for n in range(rows):
        branch = BranchFactory(name=f"镇科协{n}")
        PositionFactory(society=None, branch=branch, role=Position.Role.SCHOOL_HEAD)
    # session, user, town branches with town, their current heads with people
    with django_assert_max_num_queries(4):
        response = staff_client.get(reverse("members:three_heads_report"))
    assert response.status_code == 200


@pytest.mark.parametrize("rows", [5, 200])
def test_home_block_query_budget(client, db, django_assert_max_num_queries, rows):
    for _n in range(rows):
        SocietyFactory()
    # four counts: societies, branches, people, honours (other apps' blocks may add theirs)
    from members import selectors

    with django_assert_max_num_queries(4):
        selectors.home_figures()
