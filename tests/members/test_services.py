import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from members import services
from members.models import Branch, ContestProject, Honor, Person, Position
from tests.factories import PersonFactory, SocietyFactory
from tests.members.factories import ContestProjectFactory

pytestmark = pytest.mark.django_db

D = datetime.date


def messages_of(error: ValidationError) -> list[str]:
    return error.messages


# The branch tree


def test_moving_a_branch_under_its_own_descendant_is_refused(manager_branch, own_village):
    with pytest.raises(ValidationError) as error:
        services.branch_move(branch=manager_branch, parent=own_village)
    assert "上级组织不能是本组织或其下级组织，否则会形成循环。" in messages_of(error.value)
    manager_branch.refresh_from_db()
    assert manager_branch.parent is None


def test_a_branch_cannot_be_its_own_parent(manager_branch):
    with pytest.raises(ValidationError) as error:
        services.branch_move(branch=manager_branch, parent=manager_branch)
    assert "上级组织不能是本组织或其下级组织，否则会形成循环。" in messages_of(error.value)


def test_moving_a_branch_elsewhere_in_the_tree_works(own_village, other_branch):
    services.branch_move(branch=own_village, parent=other_branch)
    own_village.refresh_from_db()
    assert own_village.parent == other_branch


# People


def test_person_phone_is_normalised_and_validated(db):
    person = services.person_create(name="张三", phone="+86 139-0573-0001")
    assert person.phone == "13905730001"
    with pytest.raises(ValidationError) as error:
        services.person_create(name="李四", phone="12345")
    assert error.value.message_dict["phone"] == ["请输入有效的11位手机号码。"]
    assert not Person.objects.filter(name="李四").exists()


def test_two_people_cannot_share_a_phone(db):
    services.person_create(name="张三", phone="13905730001")
    with pytest.raises(ValidationError) as error:
        services.person_create(name="李四", phone="139 0573 0001")
    assert "phone" in error.value.message_dict
    assert Person.objects.count() == 1


def test_people_without_phone_are_allowed_side_by_side(db):
    services.person_create(name="张三")
    services.person_create(name="李四")
    assert Person.objects.filter(phone__isnull=True).count() == 2


# Positions


def test_overlapping_terms_of_a_single_holder_office_are_refused(db):
    society = SocietyFactory()
    services.position_create(
        person=PersonFactory(name="王会长"),
        role=Position.Role.PRESIDENT,
        start=D(2016, 6, 1),
        end=D(2021, 5, 31),
        society=society,
    )
    with pytest.raises(ValidationError) as error:
        services.position_create(
            person=PersonFactory(),
            role=Position.Role.PRESIDENT,
            start=D(2021, 5, 1),
            society=society,
        )
    assert messages_of(error.value) == [
        "任期与王会长的会长任期（2016-06-01 起）重叠：该职务同一时间只能有一人担任。"
    ]
    assert Position.objects.count() == 1


def test_back_to_back_terms_of_a_single_holder_office_are_fine(db):
    society = SocietyFactory()
    first = services.position_create(
        person=PersonFactory(), role=Position.Role.PRESIDENT, start=D(2016, 6, 1), society=society
    )
    services.position_end(position=first, end=D(2021, 5, 31))
    services.position_create(
        person=PersonFactory(), role=Position.Role.PRESIDENT, start=D(2021, 6, 1), society=society
    )
    assert Position.objects.filter(society=society).count() == 2


def test_ending_a_term_on_a_day_before_it_began_is_refused(db):
    position = services.position_create(
        person=PersonFactory(),
        role=Position.Role.DIRECTOR,
        start=D(2021, 6, 1),
        society=SocietyFactory(),
    )
    with pytest.raises(ValidationError) as error:
        services.position_end(position=position, end=D(2020, 1, 1))
    assert "任期结束日期不能早于开始日期。" in messages_of(error.value)


def test_many_people_may_hold_a_shared_office_at_once(db):
    society = SocietyFactory()
    for _ in range(3):
        services.position_create(
            person=PersonFactory(),
            role=Position.Role.VICE_PRESIDENT,
            start=D(2021, 6, 1),
            society=society,
        )
    assert Position.objects.filter(society=society).count() == 3


def test_a_position_belongs_to_exactly_one_organisation(manager_branch):
    with pytest.raises(ValidationError) as error:
        services.position_create(
            person=PersonFactory(),
            role=Position.Role.DIRECTOR,
            start=D(2021, 6, 1),
            society=SocietyFactory(),
            branch=manager_branch,
        )
    assert "请选择一个学会或一个基层组织（只能选一个）。" in messages_of(error.value)


def test_three_heads_sit_only_on_town_branches(own_village):
    with pytest.raises(ValidationError) as error:
        services.position_create(
            person=PersonFactory(),
            role=Position.Role.SCHOOL_HEAD,
            start=D(2021, 6, 1),
            branch=own_village,
        )
    assert error.value.message_dict["role"] == [
        "医院院长、学校校长、农技站站长只能在镇街道科协任职。"
    ]


def test_a_town_branch_has_one_hospital_head_at_a_time(manager_branch):
    services.position_create(
        person=PersonFactory(),
        role=Position.Role.HOSPITAL_HEAD,
        start=D(2021, 6, 1),
        branch=manager_branch,
    )
    with pytest.raises(ValidationError):
        services.position_create(
            person=PersonFactory(),
            role=Position.Role.HOSPITAL_HEAD,
            start=D(2022, 6, 1),
            branch=manager_branch,
        )


def test_the_database_refuses_two_open_terms_even_past_clean(db):
    """The constraint backs the check when two writers race past clean()."""
    society = SocietyFactory()
    Position.objects.create(
        person=PersonFactory(), society=society, role=Position.Role.PRESIDENT, start=D(2021, 1, 1)
    )
    from django.db import IntegrityError, transaction

    with pytest.raises(IntegrityError), transaction.atomic():
        Position.objects.create(
            person=PersonFactory(),
            society=society,
            role=Position.Role.PRESIDENT,
            start=D(2022, 1, 1),
        )


def test_current_positions_are_those_whose_term_covers_today(db):
    society = SocietyFactory()
    past = services.position_create(
        person=PersonFactory(),
        role=Position.Role.DIRECTOR,
        start=D(2016, 1, 1),
        end=D(2020, 12, 31),
        society=society,
    )
    now = services.position_create(
        person=PersonFactory(), role=Position.Role.DIRECTOR, start=D(2021, 1, 1), society=society
    )
    future = services.position_create(
        person=PersonFactory(), role=Position.Role.DIRECTOR, start=D(2030, 1, 1), society=society
    )
    assert (past.is_current(), now.is_current(), future.is_current()) == (False, True, False)


# Honours


def test_an_honor_goes_to_exactly_one_recipient(manager_branch):
    with pytest.raises(ValidationError) as error:
        services.honor_create(
            name="先进集体",
            level=Honor.Level.COUNTY,
            year=2022,
            branch=manager_branch,
            society=SocietyFactory(),
        )
    assert "请选择一个获得者：个人、学会或基层组织（只能选一个）。" in messages_of(error.value)
    assert not Honor.objects.exists()


# The contest


def test_ranking_orders_scored_projects_and_leaves_unscored_unranked(db):
    low = ContestProjectFactory(year=2022, score=Decimal("80"))
    high = ContestProjectFactory(year=2022, score=Decimal("95.5"))
    unscored = ContestProjectFactory(year=2022, score=None, rank=7)
    other_year = ContestProjectFactory(year=2021, score=Decimal("99"), rank=1)
    services.contest_year_rank(year=2022)
    ranks = dict(ContestProject.objects.values_list("pk", "rank"))
    assert ranks == {high.pk: 1, low.pk: 2, unscored.pk: None, other_year.pk: 1}


def test_re_ranking_after_a_score_change_swaps_places(db):
    first = ContestProjectFactory(year=2022, score=Decimal("90"))
    second = ContestProjectFactory(year=2022, score=Decimal("80"))
    services.contest_year_rank(year=2022)
    services.contest_project_score(project=second, score=Decimal("99"))
    services.contest_year_rank(year=2022)
    first.refresh_from_db()
    second.refresh_from_db()
    assert (first.rank, second.rank) == (2, 1)


def test_a_score_above_100_is_refused(db):
    project = ContestProjectFactory()
    with pytest.raises(ValidationError) as error:
        services.contest_project_score(project=project, score=Decimal("120"))
    assert "score" in error.value.message_dict
    project.refresh_from_db()
    assert project.score is None


def test_progress_cannot_predate_the_contest_year(db):
    project = ContestProjectFactory(year=2022)
    with pytest.raises(ValidationError) as error:
        services.contest_progress_add(project=project, date=D(2021, 12, 31), text="提前")
    assert error.value.message_dict["date"] == ["进展日期不能早于项目所在年度。"]


def test_branch_tree_kinds_exist():
    assert Branch.Kind.TOWN.label == "镇街道科协"
