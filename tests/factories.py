"""Factories of the records every app's tests need. App-specific factories live
in ``tests/<app>/factories.py``."""

import factory
from factory.django import DjangoModelFactory

from kexie.platform.accounts.models import User
from members.models import Branch, OrgManager, Person, Society, Town

TEST_PASSWORD = "correct-horse-battery-staple"


class UserFactory(DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    name = factory.Sequence(lambda n: f"用户{n}")
    email = factory.Sequence(lambda n: f"user{n}@example.cn")
    phone = factory.Sequence(lambda n: f"139{n:08d}")
    role = User.Role.PUBLIC

    @factory.post_generation
    def password(obj, create, extracted, **kwargs):
        obj.set_password(extracted or TEST_PASSWORD)
        if create:
            obj.save(update_fields=["password"])


class TownFactory(DjangoModelFactory):
    class Meta:
        model = Town
        django_get_or_create = ["name"]

    name = factory.Iterator(["当湖街道", "钟埭街道", "曹桥街道", "乍浦镇", "新埭镇", "新仓镇"])
    kind = Town.Kind.TOWN


class SocietyFactory(DjangoModelFactory):
    class Meta:
        model = Society

    name = factory.Sequence(lambda n: f"平湖市第{n}学会")
    discipline = "机械工程"


class BranchFactory(DjangoModelFactory):
    class Meta:
        model = Branch

    name = factory.Sequence(lambda n: f"基层科协{n}")
    kind = Branch.Kind.TOWN
    town = factory.SubFactory(TownFactory)


class PersonFactory(DjangoModelFactory):
    class Meta:
        model = Person

    name = factory.Sequence(lambda n: f"科技工作者{n}")
    phone = factory.Sequence(lambda n: f"138{n:08d}")
    email = factory.Sequence(lambda n: f"person{n}@example.cn")
    birth_year = 1980
    title = "高级工程师"


class OrgManagerFactory(DjangoModelFactory):
    class Meta:
        model = OrgManager

    user = factory.SubFactory(UserFactory, role=User.Role.MANAGER, is_staff=True)
    branch = factory.SubFactory(BranchFactory)


class PictureFactory(DjangoModelFactory):
    """A picture row with rendition names but no files: for pages and query
    budgets. Tests of uploads use ``pictures.services.picture_create``."""

    class Meta:
        model = "pictures.Picture"

    alt = factory.Sequence(lambda n: f"科普活动照片{n}")
    original = "pictures/original.jpg"
    width = 1600
    height = 1200
    renditions = factory.Sequence(
        lambda n: {
            "thumb": {"name": f"pictures/aa/{n:020x}.webp", "width": 480, "height": 320},
            "detail": {"name": f"pictures/bb/{n:020x}.webp", "width": 1200, "height": 900},
            "social": {"name": f"pictures/cc/{n:020x}.jpg", "width": 1200, "height": 630},
        }
    )
