"""Excel import and export of the members app (django-import-export).

Column headings are the Chinese field names staff see in their spreadsheets;
they are the file format, so they stay fixed whatever the interface language.
An import is previewed as a dry run and nothing is written until every row is
valid (see ``members.admin``). Each row is saved by the members service the
admin's form uses (``person_save``, ``society_save``, ``branch_save`` with its
row locks), never by a bare ``save()``, so a spreadsheet obeys the same rules.
"""

from collections import Counter

import filetype
from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from import_export import fields, resources, widgets
from import_export.forms import ImportForm

from kexie.platform.lib.listing import list_text
from kexie.platform.lib.validators import normalize_phone
from members import services
from members.models import Branch, ContestProject, Honor, Person, Position, Society, Town


class NamedForeignKeyWidget(widgets.ForeignKeyWidget):
    """A foreign key written as the related record's name; an unknown name is a
    row error that says which name was not found."""

    def __init__(self, model, field="name", *, missing_message: str):
        super().__init__(model, field)
        self.missing_message = missing_message

    def clean(self, value, row=None, **kwargs):
        value = (str(value).strip() if value is not None else "") or None
        if value is None:
            return None
        try:
            return self.get_queryset(value, row, **kwargs).get(**{self.field: value})
        except self.model.DoesNotExist:
            raise ValueError(str(self.missing_message) % {"name": value}) from None


class ChoiceLabelWidget(widgets.Widget):
    """A choice written as its Chinese label (男, 村科协 …) or its stored value."""

    def __init__(self, choices, *, required: bool = False):
        super().__init__()
        self.choices = choices
        self.required = required

    def clean(self, value, row=None, **kwargs):
        value = str(value).strip() if value is not None else ""
        if not value:
            if self.required:
                raise ValueError(_("此项不能为空。"))
            return ""
        by_label = {str(label): key for key, label in self.choices}
        if value in by_label:
            return by_label[value]
        if value in dict(self.choices):
            return value
        raise ValueError(
            _("“%(value)s”不是有效的选项，可选：%(options)s。")
            % {"value": value, "options": list_text(label for _k, label in self.choices)}
        )

    def render(self, value, obj=None, **kwargs):
        return str(dict(self.choices).get(value, value or ""))


class PhoneWidget(widgets.CharWidget):
    def clean(self, value, row=None, **kwargs):
        value = super().clean(value, row, **kwargs)
        if value is None:
            return None
        if isinstance(value, float) and value.is_integer():  # Excel stores numbers as floats
            value = str(int(value))
        value = normalize_phone(str(value).strip())
        return value or None


def _text(attribute: str, column: str) -> fields.Field:
    # An empty cell is an empty text, not NULL (text columns are NOT NULL).
    return fields.Field(attribute=attribute, column_name=column, widget=widgets.CharWidget())


class PersonResource(resources.ModelResource):
    name = _text("name", "姓名")
    gender = fields.Field(
        attribute="gender", column_name="性别", widget=ChoiceLabelWidget(Person.Gender.choices)
    )
    birth_year = fields.Field(
        attribute="birth_year", column_name="出生年份", widget=widgets.IntegerWidget()
    )
    title = _text("title", "职称")
    employer = _text("employer", "工作单位")
    discipline = _text("discipline", "专业领域")
    phone = fields.Field(attribute="phone", column_name="手机号码", widget=PhoneWidget())
    email = _text("email", "电子邮箱")
    branch = fields.Field(
        attribute="branch",
        column_name="所属基层组织",
        widget=NamedForeignKeyWidget(
            Branch, missing_message=gettext_lazy("找不到基层组织“%(name)s”。")
        ),
    )
    biography = _text("biography", "公开简介")

    class Meta:
        model = Person
        fields = (
            "name",
            "gender",
            "birth_year",
            "title",
            "employer",
            "discipline",
            "phone",
            "email",
            "branch",
            "biography",
        )
        import_id_fields = ("phone",)
        clean_model_instances = True
        skip_unchanged = True
        report_skipped = True
        use_transactions = True
        name = gettext_lazy("科技工作者")

    def before_import(self, dataset, **kwargs):
        super().before_import(dataset, **kwargs)
        column = "手机号码"
        phones = []
        if column in (dataset.headers or []):
            phones = [PhoneWidget().clean(value) for value in dataset[column]]
        self._duplicate_phones = {
            phone for phone, count in Counter(p for p in phones if p).items() if count > 1
        }

    def get_instance(self, instance_loader, row):
        # Without a phone a row cannot be matched to anyone: it is a new person.
        if not PhoneWidget().clean(row.get("手机号码")):
            return None
        return super().get_instance(instance_loader, row)

    def import_instance(self, instance, row, **kwargs):
        errors = {}
        try:
            super().import_instance(instance, row, **kwargs)
        except ValidationError as error:
            errors.update(error.error_dict)
        if instance.phone and instance.phone in getattr(self, "_duplicate_phones", set()):
            errors.setdefault("phone", []).append(
                ValidationError(
                    _("手机号码 %(phone)s 在文件中出现了不止一次。") % {"phone": instance.phone}
                )
            )
        if errors:
            raise ValidationError(errors)

    def do_instance_save(self, instance, is_create):
        services.person_save(person=instance)


class SocietyResource(resources.ModelResource):
    name = _text("name", "名称")
    discipline = _text("discipline", "学科或行业")
    founded = fields.Field(attribute="founded", column_name="成立日期", widget=widgets.DateWidget())
    status = fields.Field(
        attribute="status", column_name="状态", widget=ChoiceLabelWidget(Society.Status.choices)
    )
    member_count = fields.Field(
        attribute="member_count", column_name="会员人数", widget=widgets.IntegerWidget()
    )
    contact_name = _text("contact_name", "联系人")
    contact_phone = _text("contact_phone", "联系电话")
    contact_email = _text("contact_email", "联系邮箱")
    address = _text("address", "地址")
    description = _text("description", "简介")

    class Meta:
        model = Society
        fields = (
            "name",
            "discipline",
            "founded",
            "status",
            "member_count",
            "contact_name",
            "contact_phone",
            "contact_email",
            "address",
            "description",
        )
        import_id_fields = ("name",)
        clean_model_instances = True
        skip_unchanged = True
        report_skipped = True
        use_transactions = True
        name = gettext_lazy("学会")

    def before_import_row(self, row, **kwargs):
        # An empty status or count means the defaults, not a blank value.
        if not row.get("状态"):
            row["状态"] = Society.Status.ACTIVE
        if row.get("会员人数") in (None, ""):
            row["会员人数"] = 0

    def do_instance_save(self, instance, is_create):
        services.society_save(society=instance)


class BranchResource(resources.ModelResource):
    name = _text("name", "名称")
    kind = fields.Field(
        attribute="kind",
        column_name="类型",
        widget=ChoiceLabelWidget(Branch.Kind.choices, required=True),
    )
    town = fields.Field(
        attribute="town",
        column_name="所在镇街道",
        widget=NamedForeignKeyWidget(
            Town, missing_message=gettext_lazy("找不到镇街道“%(name)s”。")
        ),
    )
    parent = fields.Field(
        attribute="parent",
        column_name="上级组织",
        widget=NamedForeignKeyWidget(
            Branch, missing_message=gettext_lazy("找不到上级组织“%(name)s”。")
        ),
    )
    founded = fields.Field(attribute="founded", column_name="成立日期", widget=widgets.DateWidget())
    contact_name = _text("contact_name", "联系人")
    contact_phone = _text("contact_phone", "联系电话")
    address = _text("address", "地址")
    description = _text("description", "简介")

    class Meta:
        model = Branch
        fields = (
            "name",
            "kind",
            "town",
            "parent",
            "founded",
            "contact_name",
            "contact_phone",
            "address",
            "description",
        )
        import_id_fields = ("name",)
        clean_model_instances = True
        skip_unchanged = True
        report_skipped = True
        use_transactions = True
        name = gettext_lazy("基层组织")

    def do_instance_save(self, instance, is_create):
        # Under the locks of its line and its new parent's: no cycle, even
        # with a colleague moving branches at the same time.
        services.branch_save(branch=instance)


# Export only


class PositionResource(resources.ModelResource):
    person = _text("person__name", "姓名")
    organisation = fields.Field(column_name="组织")
    role = _text("display_title", "职务")
    start = fields.Field(attribute="start", column_name="任期开始", widget=widgets.DateWidget())
    end = fields.Field(attribute="end", column_name="任期结束", widget=widgets.DateWidget())

    class Meta:
        model = Position
        fields = ("person", "organisation", "role", "start", "end")
        name = gettext_lazy("职务")

    def dehydrate_organisation(self, position):
        return str(position.organisation)


class HonorResource(resources.ModelResource):
    year = fields.Field(attribute="year", column_name="年度")
    level = fields.Field(
        attribute="level", column_name="级别", widget=ChoiceLabelWidget(Honor.Level.choices)
    )
    name = _text("name", "荣誉名称")
    recipient = fields.Field(column_name="获得者")
    granted_by = _text("granted_by", "授予单位")

    class Meta:
        model = Honor
        fields = ("year", "level", "name", "recipient", "granted_by")
        name = gettext_lazy("荣誉")

    def dehydrate_recipient(self, honor):
        return str(honor.recipient)


class ContestProjectResource(resources.ModelResource):
    year = fields.Field(attribute="year", column_name="年度")
    society = _text("society__name", "承担学会")
    title = _text("title", "项目名称")
    domain = fields.Field(
        attribute="domain",
        column_name="领域",
        widget=ChoiceLabelWidget(ContestProject.Domain.choices),
    )
    goal = _text("goal", "项目目标")
    score = fields.Field(attribute="score", column_name="得分")
    rank = fields.Field(attribute="rank", column_name="名次")

    class Meta:
        model = ContestProject
        fields = ("year", "society", "title", "domain", "goal", "score", "rank")
        name = gettext_lazy("比拼赛项目")


class ExcelImportForm(ImportForm):
    """The import form, refusing at once a file that is not an Excel workbook."""

    def clean_import_file(self):
        upload = self.cleaned_data["import_file"]
        head = upload.read(8192)
        upload.seek(0)
        kind = filetype.guess(head)
        if kind is None or kind.extension != "xlsx":
            raise forms.ValidationError(
                _("文件“%(name)s”不是 Excel 工作簿（.xlsx），请另存为 .xlsx 后再导入。")
                % {"name": upload.name},
                code="not_excel",
            )
        return upload
