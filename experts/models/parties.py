from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext, pgettext_lazy
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from kexie.platform.lib.validators import normalize_credit_code, validate_credit_code
from kexie.platform.outbox.fields import message_language_field


class Enterprise(models.Model):
    """A company that posts technical needs, identified by its credit code."""

    class Industry(models.TextChoices):
        MACHINERY = "machinery", _("装备制造")
        AUTO_PARTS = "auto_parts", _("汽车零部件")
        OPTICS = "optics", _("光学与光电")
        ELECTRONICS = "electronics", _("电子信息")
        MATERIALS = "materials", _("新材料")
        ENERGY = "energy", _("新能源")
        FOOD = "food", _("食品加工")
        AGRICULTURE = "agriculture", _("现代农业")
        TEXTILE = "textile", _("纺织服装")
        CHEMICAL = "chemical", _("化工")
        OTHER = "other", _("其他")

    class Size(models.TextChoices):
        LARGE = "large", _("大型")
        MEDIUM = "medium", _("中型")
        SMALL = "small", _("小型")
        MICRO = "micro", _("微型")

    name = models.CharField(_("企业名称"), max_length=100, unique=True)
    credit_code = models.CharField(
        _("统一社会信用代码"), max_length=18, unique=True, validators=[validate_credit_code]
    )
    industry = models.CharField(_("行业"), max_length=20, choices=Industry.choices)
    town = models.ForeignKey(
        "members.Town",
        verbose_name=_("所在镇街道"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="enterprises",
    )
    size = models.CharField(_("规模"), max_length=10, choices=Size.choices, default=Size.SMALL)
    description = models.TextField(_("企业简介"), blank=True)
    contact_name = models.CharField(_("联系人"), max_length=50, blank=True)
    contact_phone = models.CharField(_("联系电话"), max_length=30, blank=True)
    verified = models.BooleanField(
        _("已认证"), default=False, help_text=_("工作人员核实企业身份后勾选。")
    )
    users = models.ManyToManyField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("企业账户"),
        blank=True,
        related_name="enterprises",
        help_text=_("可以代表本企业发布和管理需求的用户。"),
    )
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("企业")
        verbose_name_plural = pgettext_lazy("several", "企业")
        ordering = ["name"]

    def __str__(self):
        return self.name

    def clean(self):
        super().clean()
        self.credit_code = normalize_credit_code(self.credit_code)


class Expert(models.Model):
    """An expert who answers needs. Contact details are private; a private
    profile is never shown on public pages nor recommended."""

    class Title(models.TextChoices):
        ACADEMICIAN = "academician", _("院士")
        PROFESSOR = "professor", _("教授")
        RESEARCHER = "researcher", _("研究员")
        PROFESSOR_ENGINEER = "professor_engineer", _("正高级工程师")
        SENIOR_ENGINEER = "senior_engineer", _("高级工程师")
        ASSOCIATE_PROFESSOR = "associate_professor", _("副教授")
        ASSOCIATE_RESEARCHER = "associate_researcher", _("副研究员")
        DOCTOR = "doctor", _("博士")
        ENGINEER = "engineer", _("工程师")
        OTHER = "other", _("其他")

    class Region(models.TextChoices):
        LOCAL = "local", _("平湖本地")
        ZHEJIANG = "zhejiang", _("浙江")
        SHANGHAI = "shanghai", _("上海")
        JIANGSU = "jiangsu", _("江苏")
        ANHUI = "anhui", _("安徽")
        OTHER = "other", _("其他地区")

    class Availability(models.TextChoices):
        AVAILABLE = "available", _("可接受对接")
        BUSY = "busy", _("较忙，可少量对接")
        UNAVAILABLE = "unavailable", _("暂不接受对接")

    name = models.CharField(_("姓名"), max_length=50)
    title = models.CharField(_("职称"), max_length=30, choices=Title.choices)
    organisation = models.CharField(_("工作单位"), max_length=100)
    region = models.CharField(_("所在地区"), max_length=20, choices=Region.choices)
    fields = models.ManyToManyField(
        "experts.Discipline", verbose_name=_("专业领域"), related_name="experts"
    )
    keywords = models.ManyToManyField(
        "experts.Keyword", verbose_name=_("关键词"), blank=True, related_name="experts"
    )
    biography = models.TextField(_("简介"), blank=True)
    availability = models.CharField(
        _("可对接情况"),
        max_length=20,
        choices=Availability.choices,
        default=Availability.AVAILABLE,
    )
    is_public = models.BooleanField(
        _("公开简介"), default=True, help_text=_("不公开的专家不出现在公开页面，也不会被推荐。")
    )
    is_active = models.BooleanField(_("有效"), default=True)
    weekly_digest = models.BooleanField(
        _("接收每周需求摘要"), default=True, help_text=_("每周一次，汇总本专业领域的新需求。")
    )
    contact_phone = models.CharField(_("联系电话（不公开）"), max_length=30, blank=True)
    contact_email = models.EmailField(_("联系邮箱（不公开）"), blank=True)
    language = message_language_field(
        _("通知语言"),
        help_text=_("专家没有账号时，发到联系邮箱的通知用这种语言；有账号的按账号的语言。"),
    )
    person = models.OneToOneField(
        "members.Person",
        verbose_name=_("对应科技工作者"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="expert",
    )
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("用户账户"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="expert",
    )
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("专家")
        verbose_name_plural = pgettext_lazy("several", "专家")
        ordering = ["name", "pk"]
        indexes = [models.Index(fields=["is_active", "is_public", "availability"])]

    def __str__(self):
        return self.name + gettext("（%(title)s）") % {"title": self.organisation}

    def get_absolute_url(self):
        return reverse("experts:expert_detail", args=[self.pk])

    @property
    def is_recommendable(self) -> bool:
        return (
            self.is_active and self.is_public and self.availability != self.Availability.UNAVAILABLE
        )
