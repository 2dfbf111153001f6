"""Forms check types and presence; the services own the business rules and
their messages."""

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from kexie.platform.lib.form_fields import quick_copied_fields
from kexie.platform.lib.inputs import (
    BoundedDateField,
    BoundedDateTimeField,
    DateInput,
    DateTimeLocalInput,
    VisibleCharField,
)
from kexie.platform.verification.forms import PhoneForm
from members.models import Town
from outreach import signup_code
from outreach.models import Audience, LectureRequest, LectureTopic, Venue
from outreach.selectors import seats_left
from outreach.services.registrations import party_limit, party_size_help, sign_up_field_errors


@quick_copied_fields  # made on every sign-up POST
class SignUpForm(forms.Form):
    """Name, phone and party size are checked by ``registration_create``,
    which reports every problem at once; they are marked required for the
    browser only."""

    name = VisibleCharField(
        label=_("姓名"),
        max_length=50,
        required=False,
        error_messages={"max_length": _("姓名最多50个字。")},
        widget=forms.TextInput(attrs={"autocomplete": "name"}),
    )
    phone = forms.CharField(
        label=_("手机号码"),
        max_length=20,
        required=False,
        error_messages={"max_length": _("请输入有效的11位手机号码。")},
        widget=forms.TextInput(attrs={"autocomplete": "tel", "inputmode": "tel"}),
        help_text=_("用于接收报名确认和活动提醒，不会公开。"),
    )
    party_size = forms.CharField(
        label=_("参加人数"),
        initial=1,
        max_length=5,
        required=False,
        error_messages={"max_length": _("参加人数太多，请核对后再填写。")},
        widget=forms.NumberInput(attrs={"min": 1, "inputmode": "numeric"}),
    )
    email = forms.EmailField(
        label=_("电子邮箱（选填）"),
        required=False,
        error_messages={"invalid": _("请输入有效的电子邮箱。")},
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
    )

    def __init__(self, *args, event=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.event = event
        for name in ("name", "phone", "party_size"):
            self.fields[name].widget.attrs["required"] = True
        # HTML allows maxlength only on text-like inputs, not on type="number".
        self.fields["party_size"].widget.attrs.pop("maxlength", None)
        if event is not None and signup_code.needs_code(event):
            signup_code.add_code_field(self)
        if event is not None:
            self.describe(event)

    def clean(self):
        cleaned = super().clean()
        if self.errors and self.event is not None:
            # The service checks these once the form is valid; with another
            # field wrong (a mistyped mailbox) the family would otherwise
            # learn of an empty name or a bad phone only on the next try.
            found = sign_up_field_errors(
                event=self.event,
                name=cleaned.get("name", ""),
                phone=cleaned.get("phone", ""),
                party_size=cleaned.get("party_size"),
            )
            for field, messages in found.items():
                if field not in self.errors:
                    self.add_error(field, messages)
        return cleaned

    def describe(self, event) -> None:
        """The party size's limit and help, in the words of ``event`` (with its
        seats when they are annotated)."""
        self.fields["party_size"].widget.attrs["max"] = party_limit(event)
        self.fields["party_size"].help_text = party_size_help(
            event, seats_left=seats_left(event) if hasattr(event, "seats_taken") else None
        )


class RecoverPhoneForm(PhoneForm):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["phone"].label = _("报名时填写的手机号码")


class CheckInForm(forms.Form):
    count = forms.IntegerField(
        label=_("到场人数"),
        min_value=0,
        error_messages={
            "required": _("请填写签到人数。"),
            "invalid": _("签到人数请填写整数。"),
            "min_value": _("签到人数不能小于0。"),
        },
    )


class LectureRequestForm(forms.ModelForm):
    class Meta:
        model = LectureRequest
        fields = [
            "topic",
            "topic_text",
            "organisation",
            "town",
            "contact_name",
            "contact_phone",
            "preferred_date",
            "audience",
            "expected_attendance",
            "place",
            "note",
        ]
        field_classes = {"preferred_date": BoundedDateField}
        widgets = {
            "preferred_date": DateInput(),
            "contact_name": forms.TextInput(attrs={"autocomplete": "name"}),
            "contact_phone": forms.TextInput(attrs={"autocomplete": "tel", "inputmode": "tel"}),
            "note": forms.Textarea(attrs={"rows": 3}),
        }

    def __init__(self, *args, team, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["topic"].queryset = LectureTopic.objects.filter(team=team, active=True)
        self.fields["topic"].required = False
        self.fields["town"].queryset = Town.objects.all()
        self.fields["audience"].queryset = Audience.objects.all()
        # The service checks the phone, with the message tests expect.
        self.fields["contact_phone"].validators = []

    def clean_preferred_date(self):
        # Also checked by the service; here so that every error shows at once.
        value = self.cleaned_data["preferred_date"]
        if value <= timezone.localdate():
            raise forms.ValidationError(_("希望日期应晚于今天。"))
        return value


class LectureAcceptForm(forms.Form):
    starts_at = BoundedDateTimeField(label=_("开始时间"), widget=DateTimeLocalInput())
    ends_at = BoundedDateTimeField(label=_("结束时间"), widget=DateTimeLocalInput())
    venue = forms.ModelChoiceField(
        label=_("活动地点"), queryset=Venue.objects.all(), required=False
    )
    capacity = forms.IntegerField(
        label=_("公开报名名额"),
        min_value=1,
        required=False,
        help_text=_("只对申请单位开放的讲座留空。"),
    )
    publish = forms.BooleanField(label=_("立即发布"), required=False)

    def clean(self):
        cleaned = super().clean()
        starts_at, ends_at = cleaned.get("starts_at"), cleaned.get("ends_at")
        if starts_at and ends_at and ends_at <= starts_at:
            self.add_error("ends_at", _("结束时间必须晚于开始时间。"))
        if starts_at and starts_at <= timezone.now():
            self.add_error("starts_at", _("开始时间应晚于现在。"))
        return cleaned


class DeclineForm(forms.Form):
    reason = forms.CharField(
        label=_("未能安排的原因"),
        max_length=200,
        error_messages={
            "required": _("请说明未能安排的原因。"),
            "max_length": _("原因最多200个字。"),
        },
        help_text=_("申请单位会在进度页上看到这段话。"),
    )
