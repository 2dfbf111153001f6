from django import forms
from django.contrib.auth import password_validation
from django.contrib.auth.forms import AuthenticationForm, PasswordResetForm
from django.utils.translation import gettext_lazy as _

from kexie.platform.accounts.models import User
from kexie.platform.lib.validators import normalize_phone
from kexie.platform.outbox.models import Notification
from kexie.platform.outbox.services import notification_create


class LoginForm(AuthenticationForm):
    username = forms.CharField(
        label=_("手机号码或电子邮箱"),
        max_length=254,
        widget=forms.TextInput(attrs={"autofocus": True, "autocomplete": "username"}),
    )
    error_messages = {
        "invalid_login": _("手机号码/电子邮箱或密码不正确。"),
        "inactive": _("该账户已停用。"),
    }


class RegistrationForm(forms.ModelForm):
    SELF_SERVICE_ROLES = [
        (User.Role.PUBLIC, _("市民 / 学生 / 家长")),
        (User.Role.ENTERPRISE, _("企业")),
        (User.Role.EXPERT, _("专家")),
    ]

    role = forms.ChoiceField(label=_("我是"), choices=SELF_SERVICE_ROLES, initial=User.Role.PUBLIC)
    password1 = forms.CharField(
        label=_("密码"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
        help_text=password_validation.password_validators_help_text_html(),
    )
    password2 = forms.CharField(
        label=_("确认密码"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )

    class Meta:
        model = User
        fields = ["name", "phone", "email", "role"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["email"].help_text = _("用于找回密码；手机号码和电子邮箱至少填写一项。")
        self.fields["phone"].widget.attrs["autocomplete"] = "tel"

    def clean_phone(self):
        phone = self.cleaned_data.get("phone")
        return normalize_phone(phone) if phone else None

    def clean_email(self):
        email = self.cleaned_data.get("email")
        return email.strip().lower() if email else None

    def clean(self):
        cleaned = super().clean()
        if not cleaned.get("phone") and not cleaned.get("email") and not self.has_error("phone"):
            self.add_error("phone", _("请至少填写手机号码或电子邮箱之一。"))
        password1, password2 = cleaned.get("password1"), cleaned.get("password2")
        if password1 and password2 and password1 != password2:
            self.add_error("password2", _("两次输入的密码不一致。"))
        return cleaned

    def _post_clean(self):
        super()._post_clean()
        password = self.cleaned_data.get("password1")
        if password:
            try:
                password_validation.validate_password(password, self.instance)
            except forms.ValidationError as error:
                self.add_error("password1", error)

    def save(self, commit=True):
        user = super().save(commit=False)
        user.set_password(self.cleaned_data["password1"])
        if commit:
            user.save()
        return user


class EmailPasswordResetForm(PasswordResetForm):
    """Django's reset form, looking users up by our e-mail field and sending
    through the outbox like every other message."""

    def send_mail(
        self,
        subject_template_name,
        email_template_name,
        context,
        from_email,
        to_email,
        html_email_template_name=None,
    ):
        notification_create(
            channel=Notification.Channel.EMAIL,
            recipient=to_email,
            template="password-reset",
            context=context,
        )

    def get_users(self, email):
        return User._default_manager.filter(email__iexact=email, is_active=True).exclude(
            password__startswith="!"  # noqa: S106  (Django marks unusable passwords with "!")
        )
