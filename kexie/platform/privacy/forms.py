from django import forms
from django.utils.translation import gettext_lazy as _


class EraseForm(forms.Form):
    confirm = forms.BooleanField(
        label=_("我明白：删除后无法恢复，专属链接和参加证明将失效。"),
        error_messages={"required": _("请勾选确认后再删除。")},
    )


class AccountCloseForm(forms.Form):
    """Closing an account asks for its password again (a borrowed phone with
    a signed-in session cannot close it) and an explicit confirmation."""

    password = forms.CharField(
        label=_("登录密码"),
        strip=False,
        error_messages={"required": _("请输入登录密码。")},
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
    )
    confirm = forms.BooleanField(
        label=_("我明白：注销后无法恢复，账户不能再登录，报名链接和参加证明将失效。"),
        error_messages={"required": _("请勾选确认后再注销。")},
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user

    def clean_password(self):
        password = self.cleaned_data["password"]
        if not self.user.check_password(password):
            raise forms.ValidationError(_("密码不正确。"), code="password")
        return password
