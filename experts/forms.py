from django import forms
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.utils.translation import gettext_lazy as _

from experts.models import (
    AchievementInterest,
    Discipline,
    Enterprise,
    Expert,
    Keyword,
    ServiceLogEntry,
    TechNeed,
)
from experts.services.needs import deadline_check, parse_keywords
from experts.widgets import DisciplineField
from kexie.platform.lib.inputs import BoundedDateField, DateInput, VisibleCharField
from kexie.platform.lib.validators import (
    clean_contact_phone,
    normalize_credit_code,
    validate_credit_code,
)
from kexie.platform.verification.forms import CodeForm
from members.models import Town

SCORES = [(n, str(n)) for n in range(5, 0, -1)]


def add_service_errors(form: forms.Form, error: ValidationError) -> None:
    """Show a service's ValidationError on the form: on its field when the form has it."""
    if hasattr(error, "error_dict"):
        for name, errors in error.message_dict.items():
            target = name if name in form.fields else None
            if name == NON_FIELD_ERRORS:
                target = None
            for message in errors:
                form.add_error(target, message)
    else:
        for message in error.messages:
            form.add_error(None, message)


class NeedForm(forms.Form):
    title = VisibleCharField(label=_("需求名称"), max_length=100)
    summary = forms.CharField(
        label=_("公开摘要"),
        widget=forms.Textarea(attrs={"rows": 4}),
        max_length=2000,
        help_text=_("公开展示在需求大厅，请勿写入商业秘密。"),
    )
    details = forms.CharField(
        label=_("详细内容（保密）"),
        widget=forms.Textarea(attrs={"rows": 8}),
        required=False,
        max_length=10000,
        help_text=_("只有受邀或签署保密承诺的专家及科协工作人员可以查看。"),
    )
    kind = forms.ChoiceField(
        label=_("需求类型"), choices=[("", _("请选择")), *TechNeed.Kind.choices]
    )
    fields = DisciplineField(label=_("所属领域"), source_fields=("title", "summary"))
    keywords = forms.CharField(
        label=_("关键词"),
        required=False,
        max_length=300,
        help_text=_("用逗号分隔。保存后系统会根据内容建议关键词，您可以修改。"),
    )
    budget_min = forms.IntegerField(label=_("预算下限（万元）"), required=False, min_value=0)
    budget_max = forms.IntegerField(label=_("预算上限（万元）"), required=False, min_value=0)
    deadline = BoundedDateField(label=_("期望完成日期"), required=False, widget=DateInput())
    is_anonymous = forms.BooleanField(label=_("匿名发布（公开页面不显示企业名称）"), required=False)

    # What a half-written draft may leave empty ("暂存草稿"); submitting for
    # review asks for them (``need_submit``).
    DRAFT_OPTIONAL = ("summary", "kind", "fields")

    def __init__(self, *args, draft: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        if draft:
            for name in self.DRAFT_OPTIONAL:
                self.fields[name].required = False

    def clean_keywords(self):
        return parse_keywords(self.cleaned_data["keywords"])

    def clean(self):
        cleaned = super().clean()
        low, high = cleaned.get("budget_min"), cleaned.get("budget_max")
        if low is not None and high is not None and low > high:
            self.add_error("budget_max", _("预算下限不能高于预算上限。"))
        # The service's rule, here too so that every error shows at once.
        try:
            deadline_check(cleaned.get("deadline"), saved=self.initial.get("deadline"))
        except ValidationError as error:
            self.add_error(None, error)
        return cleaned

    @classmethod
    def initial_for(cls, need: TechNeed) -> dict:
        return {
            "title": need.title,
            "summary": need.summary,
            "details": need.details,
            "kind": need.kind,
            "fields": list(need.fields.all()),
            "keywords": "，".join(k.name for k in need.keywords.all()),
            "budget_min": need.budget_min,
            "budget_max": need.budget_max,
            "deadline": need.deadline,
            "is_anonymous": need.is_anonymous,
        }


class EnterpriseForm(forms.Form):
    name = VisibleCharField(label=_("企业名称"), max_length=100)
    credit_code = forms.CharField(
        label=_("统一社会信用代码"), max_length=30, help_text=_("18位，见营业执照。")
    )
    # No choice made for the person: an untouched form registered every
    # enterprise as a large machinery maker.
    industry = forms.ChoiceField(
        label=_("行业"), choices=[("", _("请选择")), *Enterprise.Industry.choices]
    )
    town = forms.ModelChoiceField(
        label=_("所在镇街道"), queryset=Town.objects.all(), required=False
    )
    size = forms.ChoiceField(label=_("规模"), choices=[("", _("请选择")), *Enterprise.Size.choices])
    contact_name = VisibleCharField(
        label=_("联系人"), max_length=50, widget=forms.TextInput(attrs={"autocomplete": "name"})
    )
    # A landline with its area code is allowed too (0573-…): the telephone keypad has the dash.
    contact_phone = forms.CharField(
        label=_("联系电话"),
        max_length=30,
        widget=forms.TextInput(attrs={"autocomplete": "tel", "inputmode": "tel"}),
    )
    description = forms.CharField(
        label=_("企业简介"), widget=forms.Textarea(attrs={"rows": 3}), required=False
    )

    def clean_contact_phone(self):
        return clean_contact_phone(self.cleaned_data["contact_phone"])

    def clean_credit_code(self):
        code = normalize_credit_code(self.cleaned_data["credit_code"])
        validate_credit_code(code)
        return code


class EnterpriseProfileForm(EnterpriseForm):
    """What the enterprise keeps up to date itself: not the name and credit code staff verify."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        del self.fields["name"]
        del self.fields["credit_code"]

    @classmethod
    def initial_for(cls, enterprise) -> dict:
        return {
            "industry": enterprise.industry,
            "town": enterprise.town_id,
            "size": enterprise.size,
            "contact_name": enterprise.contact_name,
            "contact_phone": enterprise.contact_phone,
            "description": enterprise.description,
        }


class AttachmentForm(forms.Form):
    file = forms.FileField(label=_("附件"))


class ActionForm(forms.Form):
    to_status = forms.ChoiceField(choices=TechNeed.Status.choices)
    reason = forms.CharField(required=False, max_length=1000)


class WordListField(forms.Field):
    """The values of a repeated field (one check box per suggested word)."""

    widget = forms.MultipleHiddenInput

    def to_python(self, value):
        if not value:
            return []
        if isinstance(value, str):
            value = [value]
        return [word.strip() for word in value if word and word.strip()]


class ChosenDisciplinesField(forms.ModelMultipleChoiceField):
    """The ticked fields plus the "other field" list, whose "—" sends an empty
    value: left alone, it made every confirmation fail with "“”不是一个有效的值"."""

    def clean(self, value):
        return super().clean([pk for pk in value or [] if pk not in ("", None)])


class NeedTermsForm(forms.Form):
    """Staff confirm or correct a need's fields and technical keywords at review."""

    fields = ChosenDisciplinesField(
        queryset=Discipline.objects.all(),
        label=_("领域"),
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": _("请至少选择一个领域。")},
    )
    keywords = WordListField(required=False, label=_("关键词"))
    extra = forms.CharField(
        required=False,
        max_length=300,
        label=_("补充关键词"),
        help_text=_("用逗号或顿号分隔。"),
    )
    add_to_vocabulary = forms.BooleanField(required=False, label=_("新词经我确认，加入共享词表"))

    def clean(self):
        data = super().clean()
        try:
            data["all_keywords"] = parse_keywords(
                "、".join([*data.get("keywords", []), data.get("extra", "")])
            )
        except ValidationError as error:
            self.add_error("extra", error)
        return data


class SynonymForm(forms.Form):
    """Staff teach the vocabulary that a plain word of the need means an entry."""

    word = forms.CharField(max_length=20, label=_("需求中的说法"))
    keyword = forms.ModelChoiceField(
        queryset=Keyword.objects.filter(is_approved=True), label=_("对应的关键词")
    )


class InviteForm(forms.Form):
    expert = forms.ModelChoiceField(
        queryset=Expert.objects.filter(is_active=True), widget=forms.HiddenInput
    )
    message = forms.CharField(required=False, max_length=500)


class ResponseForm(forms.Form):
    approach = VisibleCharField(
        label=_("解决思路"), widget=forms.Textarea(attrs={"rows": 6}), max_length=5000
    )
    duration = VisibleCharField(label=_("预计周期"), max_length=50, help_text=_("例如：3个月"))
    cost_min = forms.IntegerField(label=_("费用下限（万元）"), required=False, min_value=0)
    cost_max = forms.IntegerField(label=_("费用上限（万元）"), required=False, min_value=0)

    def clean(self):
        cleaned = super().clean()
        low, high = cleaned.get("cost_min"), cleaned.get("cost_max")
        if low is not None and high is not None and low > high:
            self.add_error("cost_max", _("费用下限不能高于费用上限。"))
        return cleaned


class MessageForm(forms.Form):
    body = forms.CharField(
        label=_("留言"), widget=forms.Textarea(attrs={"rows": 2}), max_length=1000
    )


class LogEntryForm(forms.Form):
    kind = forms.ChoiceField(label=_("方式"), choices=ServiceLogEntry.Kind.choices)
    occurred_on = BoundedDateField(label=_("日期"), widget=DateInput())
    summary = forms.CharField(
        label=_("内容"), widget=forms.Textarea(attrs={"rows": 3}), max_length=2000
    )


class ResolveForm(forms.Form):
    outcome = forms.CharField(
        label=_("服务成效"),
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=5000,
        error_messages={"required": _("请简要说明服务成效。")},
    )


class RatingForm(forms.Form):
    overall = forms.TypedChoiceField(
        label=_("总体评价"), choices=SCORES, coerce=int, widget=forms.RadioSelect
    )
    timeliness = forms.TypedChoiceField(
        label=_("响应及时"), choices=SCORES, coerce=int, widget=forms.RadioSelect
    )
    expertise = forms.TypedChoiceField(
        label=_("专业水平"), choices=SCORES, coerce=int, widget=forms.RadioSelect
    )
    outcome = forms.TypedChoiceField(
        label=_("解决效果"), choices=SCORES, coerce=int, widget=forms.RadioSelect
    )
    comment = forms.CharField(
        label=_("评价内容"),
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
        max_length=2000,
    )


class ReplyForm(forms.Form):
    reply = forms.CharField(
        label=_("回复评价"),
        widget=forms.Textarea(attrs={"rows": 2}),
        max_length=2000,
        error_messages={"required": _("请填写回复内容。")},
    )


class InterestForm(forms.Form):
    message = forms.CharField(
        label=_("合作意向"), widget=forms.Textarea(attrs={"rows": 3}), max_length=2000
    )


class InterestUpdateForm(forms.Form):
    status = forms.ChoiceField(label=_("跟进状态"), choices=AchievementInterest.Status.choices)
    staff_note = forms.CharField(
        label=_("跟进记录"),
        widget=forms.Textarea(attrs={"rows": 2}),
        required=False,
        max_length=2000,
    )


class ExpertProfileForm(forms.Form):
    title = forms.ChoiceField(label=_("职称"), choices=Expert.Title.choices)
    organisation = forms.CharField(label=_("工作单位"), max_length=100)
    region = forms.ChoiceField(label=_("所在地区"), choices=Expert.Region.choices)
    fields = DisciplineField(
        label=_("专业领域"), source_fields=("organisation", "keywords", "biography")
    )
    keywords = forms.CharField(
        label=_("关键词"), required=False, max_length=300, help_text=_("用逗号分隔。")
    )
    biography = forms.CharField(
        label=_("简介"), widget=forms.Textarea(attrs={"rows": 5}), required=False, max_length=5000
    )
    availability = forms.ChoiceField(label=_("可对接情况"), choices=Expert.Availability.choices)
    is_public = forms.BooleanField(
        label=_("公开简介（不公开时不会出现在专家库，也不会被推荐）"), required=False
    )

    def clean_keywords(self):
        return parse_keywords(self.cleaned_data["keywords"])

    @classmethod
    def initial_for(cls, expert: Expert) -> dict:
        return {
            "title": expert.title,
            "organisation": expert.organisation,
            "region": expert.region,
            "fields": list(expert.fields.all()),
            "keywords": "，".join(k.name for k in expert.keywords.all()),
            "biography": expert.biography,
            "availability": expert.availability,
            "is_public": expert.is_public,
        }


class DigestForm(forms.Form):
    weekly_digest = forms.BooleanField(label=_("接收每周需求摘要"), required=False)


class _PublicListFilterForm(forms.Form):
    """Free text, a discipline, and one choice named by ``choice_field``."""

    choice_field = ""

    q = forms.CharField(label=_("搜索"), required=False, max_length=50)
    field = forms.ModelChoiceField(
        label=_("领域"),
        required=False,
        queryset=Discipline.objects.all(),
        empty_label=_("全部领域"),
        widget=forms.Select(attrs={"class": "form-select"}),
    )

    def filters(self) -> dict:
        if not self.is_valid():
            return {}
        field = self.cleaned_data.get("field")
        return {
            self.choice_field: self.cleaned_data.get(self.choice_field) or None,
            "field_id": field.pk if field else None,
            "q": self.cleaned_data.get("q") or None,
        }


class BoardFilterForm(_PublicListFilterForm):
    choice_field = "kind"

    kind = forms.ChoiceField(
        label=_("类型"), required=False, choices=[("", _("全部类型")), *TechNeed.Kind.choices]
    )
    field_order = ["q", "kind", "field"]


class ExpertFilterForm(_PublicListFilterForm):
    choice_field = "region"

    region = forms.ChoiceField(
        label=_("地区"), required=False, choices=[("", _("全部地区")), *Expert.Region.choices]
    )
    field_order = ["q", "region", "field"]


class ExpertApplicationForm(forms.Form):
    name = VisibleCharField(label=_("姓名"), max_length=50)
    title = forms.ChoiceField(label=_("职称"), choices=[("", _("请选择")), *Expert.Title.choices])
    organisation = forms.CharField(label=_("工作单位"), max_length=100)
    region = forms.ChoiceField(label=_("所在地区"), choices=Expert.Region.choices)
    fields = DisciplineField(
        label=_("专业领域"), source_fields=("organisation", "keywords", "biography")
    )
    keywords = forms.CharField(
        label=_("关键词"),
        required=False,
        max_length=300,
        help_text=_("您擅长的技术方向，用逗号分隔，例如：锂电池，热管理。"),
    )
    biography = forms.CharField(
        label=_("简介"),
        widget=forms.Textarea(attrs={"rows": 5}),
        max_length=5000,
        help_text=_("学习和工作经历、代表性成果、曾为企业解决过的问题。"),
    )

    def clean_keywords(self):
        return parse_keywords(self.cleaned_data["keywords"])

    @classmethod
    def initial_for(cls, application) -> dict:
        return {
            "name": application.name,
            "title": application.title,
            "organisation": application.organisation,
            "region": application.region,
            "fields": list(application.fields.all()),
            "keywords": "，".join(application.keywords),
            "biography": application.biography,
        }


class ApplicationDecisionForm(forms.Form):
    decision = forms.ChoiceField(choices=[("approve", "approve"), ("decline", "decline")])
    reason = forms.CharField(
        label=_("未通过原因"),
        required=False,
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class LinkAddressForm(forms.Form):
    address = forms.CharField(
        label=_("专家档案中的邮箱或手机号"),
        max_length=254,
        error_messages={"required": _("请输入有效的11位手机号码或电子邮箱。")},
        help_text=_("例如您收到科协对接邀请的邮箱。我们会发送一个验证码。"),
        widget=forms.TextInput(attrs={"autocomplete": "email"}),
    )


class LinkCodeForm(CodeForm):
    """The code step of linking a record, whose code may come by SMS or by e-mail."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["code"].label = _("验证码")
        self.fields["code"].error_messages["required"] = _("请输入验证码。")
