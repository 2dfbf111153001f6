"""The two steps of proving a phone number: the number, then the code sent to it."""

from django import forms
from django.utils.translation import gettext_lazy as _


class PhoneForm(forms.Form):
    phone = forms.CharField(
        label=_("手机号码"),
        max_length=20,
        error_messages={
            "required": _("请输入有效的11位手机号码。"),
            "max_length": _("请输入有效的11位手机号码。"),
        },
        widget=forms.TextInput(attrs={"autocomplete": "tel", "inputmode": "tel"}),
    )


class CodeForm(forms.Form):
    code = forms.CharField(
        label=_("短信验证码"),
        max_length=12,
        error_messages={
            "required": _("请输入短信验证码。"),
            "max_length": _("验证码不正确，请核对后重新输入。"),
        },
        widget=forms.TextInput(attrs={"autocomplete": "one-time-code", "inputmode": "numeric"}),
    )
