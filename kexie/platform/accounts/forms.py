import logging

from django import forms
from django.conf import settings
from django.contrib.auth import password_validation
from django.contrib.auth.forms import AuthenticationForm, PasswordResetForm
from django.core.validators import validate_email
from django.utils.translation import gettext_lazy as _

from kexie.platform import limits
from kexie.platform.accounts.backends import normalize_login
from kexie.platform.accounts.models import User
from kexie.platform.accounts.services import account_password_check
from kexie.platform.accounts.tasks import password_reset_send
from kexie.platform.lib.inputs import VisibleCharField
from kexie.platform.lib.validators import normalize_phone, validate_mobile

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


def _name_field() -> VisibleCharField:
    """A member's own name, as they want it shown."""
    return VisibleCharField(
        label=_("姓名"),
        max_length=50,
        error_messages={"required": _("请填写姓名。"), "max_length": _("姓名最多50个字。")},
        widget=forms.TextInput(attrs={"autocomplete": "name"}),
    )


def _phone_field() -> forms.CharField:
    """A member's own mobile number, optional (an e-mail may do instead)."""
    return forms.CharField(
        label=_("手机号码"),
        max_length=20,
        required=False,
        widget=forms.TextInput(attrs={"autocomplete": "tel", "inputmode": "tel"}),
    )


def _mobile_or_blank(value) -> str:
    phone = normalize_phone(value or "")
    if phone:
        validate_mobile(phone)
    return phone


class RegistrationForm(forms.Form):
    """Name, a phone number and/or a mailbox, role, password.

    The addresses are only shaped here: ``account_register`` keeps them
    pending until a code proves them, so the form never says whether one has
    an account already."""

    SELF_SERVICE_ROLES = [
        (User.Role.PUBLIC, _("市民 / 学生 / 家长")),
        (User.Role.ENTERPRISE, _("企业")),
        (User.Role.EXPERT, _("专家")),
    ]

    name = _name_field()
    phone = _phone_field()
    email = forms.EmailField(
        label=_("电子邮箱"),
        required=False,
        error_messages={"invalid": _("请输入有效的电子邮箱。")},
        help_text=_("手机号码和电子邮箱至少填写一项，注册后验证即可用来登录和接收通知。"),
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
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

    def clean_phone(self):
        return _mobile_or_blank(self.cleaned_data.get("phone"))

    def clean_email(self):
        return (self.cleaned_data.get("email") or "").strip().lower()

    def clean(self):
        cleaned = super().clean()
        phone, email = cleaned.get("phone"), cleaned.get("email")
        if not phone and not email and not self.has_error("phone") and not self.has_error("email"):
            # Added, not raised: the password's own problems show with it, at once.
            self.add_error(
                None,
                forms.ValidationError(_("请至少填写手机号码或电子邮箱之一。"), code="no_address"),
            )
        password1, password2 = cleaned.get("password1"), cleaned.get("password2")
        if password1 and password2 and password1 != password2:
            self.add_error("password2", _("两次输入的密码不一致。"))
        elif password1 and cleaned.get("name"):
            try:
                account_password_check(
                    name=cleaned["name"], phone=phone or "", email=email or "", password=password1
                )
            except forms.ValidationError as error:
                self.add_error("password1", error)
        return cleaned


class ProfileForm(forms.Form):
    """The member's name, and the phone number and mailbox they want; the
    service keeps a new address pending until it is proven."""

    name = _name_field()
    phone = _phone_field()
    email = forms.EmailField(
        label=_("电子邮箱"),
        required=False,
        error_messages={"invalid": _("请输入有效的电子邮箱。")},
        help_text=_("新填写或改过的手机号码、电子邮箱需验证后才能使用，在此之前原来的照常有效。"),
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
    )

    def clean_phone(self):
        return _mobile_or_blank(self.cleaned_data.get("phone"))


class AccountLanguageForm(forms.Form):
    """The language of the account's messages (``User.language``)."""

    language = forms.ChoiceField(
        label=_("短信和电子邮件的语言"),
        choices=settings.LANGUAGES,
        error_messages={"required": _("请选择语言。"), "invalid_choice": _("请选择语言。")},
    )


class AddressCodeForm(forms.Form):
    """One pending address of the account and the code sent to it."""

    address = forms.CharField(widget=forms.HiddenInput)
    code = forms.CharField(
        label=_("验证码"),
        max_length=12,
        required=False,
        widget=forms.TextInput(attrs={"autocomplete": "one-time-code", "inputmode": "numeric"}),
    )


class EmailPasswordResetForm(PasswordResetForm):
    """Django's reset form, looking users up by their proven mailbox or
    mobile number and sending through the outbox like every other message: by
    e-mail to a mailbox, by SMS to a number (an account may have been opened
    with a phone number only).

    Limited per network address and per mailbox or number, silently: over the
    limit nothing is sent and the visitor sees the same page as always, so the
    limit tells nothing about the address. The account is looked up and the
    message written by a task (``accounts.services.password_reset_send``), so
    the page answers a known and an unknown address after the same work."""

    # Named ``email`` as Django's form and view expect; a number will do.
    email = forms.CharField(
        label=_("电子邮箱或手机号码"),
        max_length=254,
        widget=forms.TextInput(attrs={"autocomplete": "username", "autofocus": True}),
    )
    by_phone = False

    def clean_email(self):
        value = (self.cleaned_data.get("email") or "").strip()
        phone = normalize_phone(value)
        try:
            validate_mobile(phone)
        except forms.ValidationError:
            pass
        else:
            self.by_phone = True
            return phone
        try:
            validate_email(value)
        except forms.ValidationError:
            raise forms.ValidationError(
                _("请输入有效的电子邮箱或11位手机号码。"), code="invalid"
            ) from None
        return value.lower()

    def save(self, *args, request=None, **kwargs):
        address = self.cleaned_data["email"]
        try:
            limits.hit(request, "password_reset", key=address)
        except limits.RateLimited:
            log.info("password reset not sent: over the limit or the count is unavailable")
            return
        # The account is looked up and its message written by a task: done
        # here, a known address's answer took 20-40 ms longer than an unknown
        # one's, which told a stranger who has an account.
        try:
            password_reset_send.delay(address)
        except Exception:
            log.warning("password reset not sent: the task could not be queued", exc_info=True)
