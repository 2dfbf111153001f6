"""Factories of the members app's own records."""

import datetime

import factory
from factory.django import DjangoModelFactory

from members.models import (
    Agreement,
    ContestProject,
    Honor,
    JointActivity,
    Partner,
    Position,
    ProgressUpdate,
)
from tests.factories import PersonFactory, SocietyFactory


class PositionFactory(DjangoModelFactory):
    class Meta:
        model = Position

    person = factory.SubFactory(PersonFactory)
    society = factory.SubFactory(SocietyFactory)
    branch = None
    role = Position.Role.DIRECTOR
    start = datetime.date(2021, 1, 1)
    end = None


class HonorFactory(DjangoModelFactory):
    class Meta:
        model = Honor

    name = factory.Sequence(lambda n: f"优秀科技工作者{n}")
    level = Honor.Level.COUNTY
    year = 2022
    person = factory.SubFactory(PersonFactory)


class ContestProjectFactory(DjangoModelFactory):
    class Meta:
        model = ContestProject

    year = 2022
    society = factory.SubFactory(SocietyFactory)
    title = factory.Sequence(lambda n: f"服务项目{n}")
    domain = ContestProject.Domain.DIGITAL
    goal = "为企业提供数字化诊断。"


class ProgressUpdateFactory(DjangoModelFactory):
    class Meta:
        model = ProgressUpdate

    project = factory.SubFactory(ContestProjectFactory)
    date = datetime.date(2022, 6, 1)
    text = "完成第一轮走访。"


class PartnerFactory(DjangoModelFactory):
    class Meta:
        model = Partner

    name = factory.Sequence(lambda n: f"合作单位{n}")
    kind = Partner.Kind.SOCIETY
    region = Partner.Region.SHANGHAI


class AgreementFactory(DjangoModelFactory):
    class Meta:
        model = Agreement

    partner = factory.SubFactory(PartnerFactory)
    title = factory.Sequence(lambda n: f"合作协议{n}")
    signed = datetime.date(2020, 5, 20)


class JointActivityFactory(DjangoModelFactory):
    class Meta:
        model = JointActivity

    partner = factory.SubFactory(PartnerFactory)
    title = factory.Sequence(lambda n: f"联合活动{n}")
    date = datetime.date(2021, 7, 29)
