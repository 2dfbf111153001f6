from django.conf import settings
from django.contrib import messages
from django.contrib.auth import login
from django.contrib.auth import views as auth_views
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render, resolve_url
from django.utils.translation import gettext as _
from django.views.decorators.debug import sensitive_post_parameters

from kexie.platform import limits
from kexie.platform.accounts import first_steps
from kexie.platform.accounts.forms import RegistrationForm
from kexie.platform.accounts.services import REGISTER_PURPOSE, account_register
from kexie.platform.privacy.services import consent_record
from kexie.platform.verification.services import code_request, remember_proven

KEPT_ON_CODE_REQUEST = ("name", "contact", "role")


def add_errors(form, exc: ValidationError) -> None:
    if hasattr(exc, "error_dict"):
        for field, errors in exc.message_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, exc.messages)


def _send_code(request) -> tuple[RegistrationForm, int, str, str]:
    """The "获取验证码" button: one code to the address typed, the same answer
    whether or not it has an account. Returns the form (what was typed, no
    errors), the status, and a notice or an error to show."""
    form = RegistrationForm(initial={k: request.POST.get(k, "") for k in KEPT_ON_CODE_REQUEST})
    try:
        code_request(
            purpose=REGISTER_PURPOSE, address=request.POST.get("contact", ""), request=request
        )
    except limits.RateLimited as exc:
        return form, 429, "", exc.message
    except ValidationError:
        return form, 400, "", _("请输入有效的11位手机号码或电子邮箱。")
    return (
        form,
        200,
        _("验证码已发出，请查看短信或邮件，10分钟内有效。没有收到可以稍后再获取。"),
        "",
    )


@sensitive_post_parameters("password1", "password2", "code")
def register(request):
    if request.user.is_authenticated:
        return redirect("home")
    notice = error = ""
    status = 200
    if request.method == "POST" and "send_code" in request.POST:
        form, status, notice, error = _send_code(request)
    elif request.method == "POST":
        form = RegistrationForm(request.POST)
        if form.is_valid():
            data = form.cleaned_data
            try:
                limits.hit(request, "register")
                user = account_register(
                    name=data["name"],
                    contact=data["contact"],
                    code=data["code"],
                    role=data["role"],
                    password=data["password1"],
                )
            except limits.RateLimited as exc:
                form.add_error(None, exc.message)
                status = 429
            except ValidationError as exc:
                add_errors(form, exc)
            else:
                consent_record(notice_key="account", record=user)
                login(request, user, backend="kexie.platform.accounts.backends.PhoneOrEmailBackend")
                # The code just proved this address: apps may rely on it
                # (an expert record staff made for it is linked on the next page).
                remember_proven(request, REGISTER_PURPOSE, user.email or user.phone)
                messages.success(request, _("注册成功，欢迎您，%(name)s！") % {"name": user.name})
                return redirect(first_steps.first_step_url(user))
    else:
        form = RegistrationForm()
    return render(
        request,
        "registration/register.html",
        {"form": form, "notice": notice, "error": error},
        status=status,
    )


class LoginView(auth_views.LoginView):
    """Log-in; staff and organisation managers land on their home (the
    workbench, ``STAFF_HOME_URL``) unless they were going somewhere."""

    def get_default_redirect_url(self):
        user = self.request.user
        if user.is_authenticated and (user.is_association_staff or user.is_org_manager):
            return resolve_url(settings.STAFF_HOME_URL)
        return super().get_default_redirect_url()
