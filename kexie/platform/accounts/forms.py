import logging

from django import forms
from django.contrib.auth import password_validation
from django.contrib.auth.forms import AuthenticationForm, PasswordResetForm
from django.utils.translation import gettext_lazy as _

from kexie.platform import limits
from kexie.platform.accounts.backends import normalize_login
from kexie.platform.accounts.models import User
from kexie.platform.accounts.services import account_password_check
from kexie.platform.outbox.models import Notification
from kexie.platform.outbox.services import notification_create
from kexie.platform.verification.services import normalize_address

log = logging.getLogger(__name__)


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

    def clean_username(self):
        # Once, before the lockout counts and the backend authenticates.
        return normalize_login(self.cleaned_data.get("username"))


class RegistrationForm(forms.Form):
    """Name, one phone number or mailbox proven by a code, role, password.

    The form checks shapes only; ``account_register`` checks the code and
    whether the address is free (and says so only to whoever proved it)."""

    SELF_SERVICE_ROLES = [
        (User.Role.PUBLIC, _("市民 / 学生 / 家长")),
        (User.Role.ENTERPRISE, _("企业")),
        (User.Role.EXPERT, _("专家")),
    ]

    name = forms.CharField(label=_("姓名"), max_length=50)
    contact = forms.CharField(
        label=_("手机号码或电子邮箱"),
        max_length=254,
        help_text=_("用于登录和接收通知；先获取验证码证明是您本人的。"),
        widget=forms.TextInput(attrs={"autocomplete": "username"}),
    )
    code = forms.CharField(
        label=_("验证码"),
        max_length=12,
        widget=forms.TextInput(attrs={"autocomplete": "one-time-code", "inputmode": "numeric"}),
    )
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

    def clean_contact(self):
        try:
            return normalize_address(self.cleaned_data["contact"])[1]
        except forms.ValidationError:
            raise forms.ValidationError(
                _("请输入有效的11位手机号码或电子邮箱。"), code="contact"
            ) from None

    def clean(self):
        cleaned = super().clean()
        password1, password2 = cleaned.get("password1"), cleaned.get("password2")
        if password1 and password2 and password1 != password2:
            self.add_error("password2", _("两次输入的密码不一致。"))
        elif password1 and cleaned.get("contact") and cleaned.get("name"):
            try:
                account_password_check(
                    name=cleaned["name"],
                    contact=cleaned["contact"],
                    role=cleaned.get("role") or User.Role.PUBLIC,
                    password=password1,
                )
            except forms.ValidationError as error:
                self.add_error("password1", error)
        return cleaned


class EmailPasswordResetForm(PasswordResetForm):
    """Django's reset form, looking users up by our e-mail field and sending
    through the outbox like every other message.

    Limited per network address and per mailbox, silently: over the limit
    nothing is sent and the visitor sees the same page as always, so the limit
    tells nothing about the mailbox. The link is built from ``SITE_URL``, never
    from the request's Host, and the token travels as the message's secret
    (kept out of the body staff can read)."""

    def save(self, *args, request=None, **kwargs):
        email = self.cleaned_data["email"].strip().lower()
        try:
            limits.hit(request, "password_reset", key=email)
        except limits.RateLimited:
            log.info("password reset not sent: over the limit or the count is unavailable")
            return
        super().save(*args, request=request, **kwargs)

    def send_mail(
        self,
        subject_template_name,
        email_template_name,
        context,
        from_email,
        to_email,
        html_email_template_name=None,
    ):
        token = context["token"]
        notification_create(
            channel=Notification.Channel.EMAIL,
            recipient=to_email,
            template="password-reset",
            context={**context, "token": None, "domain": None, "protocol": None},
            secret=token,
        )

    def get_users(self, email):
        return User._default_manager.filter(email__iexact=email, is_active=True).exclude(
            password__startswith="!"  # noqa: S106  (Django marks unusable passwords with "!")
        )
