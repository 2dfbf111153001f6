"""Writes of the members app. Every change of a society, branch, person,
position, honour, partner or contest project made outside the admin goes
through here (the demo data too), so it obeys the same rules."""

from collections.abc import Iterable
from datetime import date
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _
from simple_history.utils import bulk_update_with_history

from kexie.platform.lib.validators import normalize_phone
from members.models import (
    Agreement,
    Branch,
    ContestProject,
    Honor,
    JointActivity,
    OrgManager,
    Partner,
    Person,
    Position,
    ProgressUpdate,
    Society,
    Town,
)


def _save(instance):
    instance.full_clean()
    instance.save()
    return instance


# Organisations


@transaction.atomic
def town_create(*, name: str, kind: str = Town.Kind.TOWN, order: int = 0) -> Town:
    return _save(Town(name=name, kind=kind, order=order))


@transaction.atomic
def society_create(
    *,
    name: str,
    discipline: str = "",
    founded: date | None = None,
    description: str = "",
    contact_name: str = "",
    contact_phone: str = "",
    contact_email: str = "",
    address: str = "",
    status: str = Society.Status.ACTIVE,
    member_count: int = 0,
) -> Society:
    return _save(
        Society(
            name=name,
            discipline=discipline,
            founded=founded,
            description=description,
            contact_name=contact_name,
            contact_phone=contact_phone,
            contact_email=contact_email,
            address=address,
            status=status,
            member_count=member_count,
        )
    )


@transaction.atomic
def society_save(*, society: Society) -> Society:
    """Save a new or edited society (the admin's form, a spreadsheet's row)."""
    return _save(society)


def _lock_ancestors(branch: Branch | None) -> None:
    """Lock the rows from ``branch`` up to its root.

    Two concurrent moves that together would close a cycle both lock some
    branch on that cycle, so the second waits and then sees the first.
    """
    node_id = branch.pk if branch else None
    seen: set[int] = set()
    while node_id is not None and node_id not in seen:
        seen.add(node_id)
        node_id = (
            Branch.objects.select_for_update()
            .filter(pk=node_id)
            .values_list("parent_id", flat=True)
            .first()
        )


@transaction.atomic
def branch_create(
    *,
    name: str,
    kind: str,
    town: Town,
    parent: Branch | None = None,
    founded: date | None = None,
    description: str = "",
    contact_name: str = "",
    contact_phone: str = "",
    address: str = "",
) -> Branch:
    return _save(
        Branch(
            name=name,
            kind=kind,
            town=town,
            parent=parent,
            founded=founded,
            description=description,
            contact_name=contact_name,
            contact_phone=contact_phone,
            address=address,
        )
    )


@transaction.atomic
def branch_save(*, branch: Branch) -> Branch:
    """Save a new or edited branch (the admin's form). Refuses a cycle: its
    new parent's line is checked under the locks."""
    _lock_ancestors(branch if branch.pk else None)
    _lock_ancestors(branch.parent)
    return _save(branch)


def branch_move(*, branch: Branch, parent: Branch | None) -> Branch:
    """Put ``branch`` under ``parent`` (or at the top). Refuses a cycle."""
    branch.parent = parent
    return branch_save(branch=branch)


@transaction.atomic
def org_manager_create(*, user, society: Society | None = None, branch: Branch | None = None):
    return _save(OrgManager(user=user, society=society, branch=branch))


# People and positions


@transaction.atomic
def person_create(
    *,
    name: str,
    phone: str | None = None,
    email: str = "",
    gender: str = "",
    birth_year: int | None = None,
    title: str = "",
    employer: str = "",
    discipline: str = "",
    biography: str = "",
    branch: Branch | None = None,
) -> Person:
    return _save(
        Person(
            name=name.strip(),
            phone=normalize_phone(phone) if phone else None,
            email=email.strip().lower(),
            gender=gender,
            birth_year=birth_year,
            title=title,
            employer=employer,
            discipline=discipline,
            biography=biography,
            branch=branch,
        )
    )


@transaction.atomic
def person_save(*, person: Person) -> Person:
    """Save a new or edited person (the admin's form, a spreadsheet's row); the
    number and address are kept in one form, so a person is found by them."""
    person.name = person.name.strip()
    person.phone = normalize_phone(person.phone) if person.phone else None
    person.email = (person.email or "").strip().lower()
    return _save(person)


def _lock_organisation(*, society: Society | None, branch: Branch | None) -> None:
    # Serialises writes of one organisation's positions, so two overlapping
    # terms of a single-holder office cannot both pass the overlap check.
    if society is not None:
        Society.objects.select_for_update().filter(pk=society.pk).exists()
    if branch is not None:
        Branch.objects.select_for_update().filter(pk=branch.pk).exists()


def _save_position(position: Position) -> Position:
    try:
        with transaction.atomic():
            return _save(position)
    except IntegrityError:
        # The open-term constraint caught what clean() could not see in time.
        raise ValidationError(
            _("该职务已有在任人员，同一时间只能有一人担任。"), code="position_overlap"
        ) from None


@transaction.atomic
def position_save(*, position: Position) -> Position:
    """Save a new or edited term; a single-holder office never has two holders at once."""
    _lock_organisation(society=position.society, branch=position.branch)
    return _save_position(position)


def position_create(
    *,
    person: Person,
    role: str,
    start: date,
    society: Society | None = None,
    branch: Branch | None = None,
    end: date | None = None,
    title: str = "",
) -> Position:
    return position_save(
        position=Position(
            person=person,
            role=role,
            start=start,
            society=society,
            branch=branch,
            end=end,
            title=title,
        )
    )


def position_end(*, position: Position, end: date) -> Position:
    """Close a term on ``end`` (the last day in office)."""
    position.end = end
    return position_save(position=position)


# Honours


@transaction.atomic
def honor_create(
    *,
    name: str,
    level: str,
    year: int,
    person: Person | None = None,
    society: Society | None = None,
    branch: Branch | None = None,
    granted_by: str = "",
    description: str = "",
) -> Honor:
    return _save(
        Honor(
            name=name,
            level=level,
            year=year,
            person=person,
            society=society,
            branch=branch,
            granted_by=granted_by,
            description=description,
        )
    )


# Partners


@transaction.atomic
def partner_create(
    *,
    name: str,
    kind: str,
    region: str,
    since: date | None = None,
    website: str = "",
    description: str = "",
) -> Partner:
    return _save(
        Partner(
            name=name,
            kind=kind,
            region=region,
            since=since,
            website=website,
            description=description,
        )
    )


@transaction.atomic
def agreement_create(
    *,
    partner: Partner,
    title: str,
    signed: date,
    start: date | None = None,
    end: date | None = None,
    content: str = "",
    branches: Iterable[Branch] = (),
) -> Agreement:
    agreement = _save(
        Agreement(
            partner=partner, title=title, signed=signed, start=start, end=end, content=content
        )
    )
    agreement.branches.set(branches)
    return agreement


@transaction.atomic
def joint_activity_create(
    *,
    partner: Partner,
    title: str,
    date: date,
    agreement: Agreement | None = None,
    place: str = "",
    summary: str = "",
) -> JointActivity:
    return _save(
        JointActivity(
            partner=partner,
            agreement=agreement,
            title=title,
            date=date,
            place=place,
            summary=summary,
        )
    )


# The contest


@transaction.atomic
def contest_project_create(
    *,
    year: int,
    society: Society,
    title: str,
    domain: str,
    goal: str,
    branches: Iterable[Branch] = (),
    result: str = "",
) -> ContestProject:
    project = _save(
        ContestProject(
            year=year, society=society, title=title, domain=domain, goal=goal, result=result
        )
    )
    project.branches.set(branches)
    return project


@transaction.atomic
def contest_project_save(*, project: ContestProject) -> ContestProject:
    """Save a new or edited project; its year may not move past its progress."""
    if project.pk and project.year:
        early = ProgressUpdate.objects.filter(project=project, date__year__lt=project.year)
        if early.exists():
            raise ValidationError(
                {"year": _("已有早于该年度的进展记录，不能改到该年度。")},
                code="year_after_progress",
            )
    return _save(project)


@transaction.atomic
def contest_progress_save(*, update: ProgressUpdate) -> ProgressUpdate:
    if update.date and update.date.year < update.project.year:
        raise ValidationError(
            {"date": _("进展日期不能早于项目所在年度。")}, code="progress_before_year"
        )
    return _save(update)


def contest_progress_add(*, project: ContestProject, date: date, text: str) -> ProgressUpdate:
    return contest_progress_save(update=ProgressUpdate(project=project, date=date, text=text))


@transaction.atomic
def contest_project_score(*, project: ContestProject, score: Decimal | None) -> ContestProject:
    project.score = score
    return _save(project)


@transaction.atomic
def contest_year_rank(*, year: int) -> list[ContestProject]:
    """Rank the year's scored projects by score, best first (ties: earlier entry first).

    Unscored projects lose any rank they had.
    """
    projects = list(
        ContestProject.objects.select_for_update().filter(year=year).order_by("-score", "pk")
    )
    # Clear first: the (year, rank) constraint would reject a swap done in place.
    ContestProject.objects.filter(year=year).update(rank=None)
    ranked = [project for project in projects if project.score is not None]
    for place, project in enumerate(ranked, start=1):
        project.rank = place
    bulk_update_with_history(ranked, ContestProject, ["rank"], batch_size=500)
    for project in projects:
        if project.score is None:
            project.rank = None
    return ranked
