"""Factories of the 科协帮's records. Needs start as drafts; tests move them
through the workflow with ``advance`` so their history is real."""

import factory
from factory.django import DjangoModelFactory

from experts.models import (
    Achievement,
    Discipline,
    Enterprise,
    Expert,
    Keyword,
    TechNeed,
    Workstation,
)
from kexie.platform.lib.validators import credit_code_check_char


def credit_code(n: int) -> str:
    """A valid 统一社会信用代码 (Pinghu's area code 330482) numbered ``n``."""
    body = f"91330482{n:09d}"
    return body + credit_code_check_char(body)


def discipline(code: str) -> Discipline:
    return Discipline.objects.get(code=code)


class KeywordFactory(DjangoModelFactory):
    class Meta:
        model = Keyword
        django_get_or_create = ["name"]

    name = factory.Sequence(lambda n: f"关键词{n}")


class EnterpriseFactory(DjangoModelFactory):
    class Meta:
        model = Enterprise
        skip_postgeneration_save = True

    name = factory.Sequence(lambda n: f"平湖测试企业{n}有限公司")
    credit_code = factory.Sequence(lambda n: credit_code(n + 1000))
    industry = Enterprise.Industry.MACHINERY
    verified = True

    @factory.post_generation
    def users(obj, create, extracted, **kwargs):
        if create and extracted:
            obj.users.set(extracted)


class ExpertFactory(DjangoModelFactory):
    class Meta:
        model = Expert
        skip_postgeneration_save = True

    name = factory.Sequence(lambda n: f"专家{n}")
    title = Expert.Title.PROFESSOR
    organisation = "浙江大学"
    region = Expert.Region.ZHEJIANG
    contact_email = factory.Sequence(lambda n: f"expert{n}@example.cn")

    @factory.post_generation
    def fields(obj, create, extracted, **kwargs):
        if create:
            obj.fields.set(extracted if extracted is not None else [discipline("430")])

    @factory.post_generation
    def keywords(obj, create, extracted, **kwargs):
        if create and extracted:
            obj.keywords.set(extracted)


class NeedFactory(DjangoModelFactory):
    """A draft need with its first history row, as ``need_create`` writes it."""

    class Meta:
        model = TechNeed
        skip_postgeneration_save = True

    enterprise = factory.SubFactory(EnterpriseFactory)
    title = factory.Sequence(lambda n: f"技术需求{n}")
    summary = "需要提升储能电池的循环寿命。"
    details = "保密：现有电芯在45度下循环500次后容量衰减到80%。"
    kind = TechNeed.Kind.RESEARCH

    @factory.post_generation
    def fields(obj, create, extracted, **kwargs):
        if create:
            obj.fields.set(extracted if extracted is not None else [discipline("430")])

    @factory.post_generation
    def keywords(obj, create, extracted, **kwargs):
        if create and extracted:
            obj.keywords.set(extracted)

    @factory.post_generation
    def history(obj, create, extracted, **kwargs):
        if create:
            obj.transitions.create(from_status="", to_status=TechNeed.Status.DRAFT)


class AchievementFactory(DjangoModelFactory):
    class Meta:
        model = Achievement

    title = factory.Sequence(lambda n: f"科技成果{n}")
    summary = "一种低成本的电池热管理方法。"
    field = factory.LazyFunction(lambda: discipline("430"))
    maturity = Achievement.Maturity.PILOT
    terms = Achievement.Terms.LICENCE
    institution = "上海交通大学"


class WorkstationFactory(DjangoModelFactory):
    class Meta:
        model = Workstation

    name = factory.Sequence(lambda n: f"测试院士工作站{n}")
    kind = Workstation.Kind.ACADEMICIAN
    host = factory.SubFactory(EnterpriseFactory)
    status = Workstation.Status.APPROVED
