from django.conf import settings
from django.contrib import messages
from django.contrib.auth import login
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render, resolve_url
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext as _
from django.views.decorators.debug import sensitive_post_parameters
from django.views.decorators.http import require_POST

from kexie.platform import limits
from kexie.platform.accounts import first_steps
from kexie.platform.accounts.forms import (
    AccountLanguageForm,
    AddressCodeForm,
    ProfileForm,
    RegistrationForm,
)
from kexie.platform.accounts.services import (
    REGISTER_PURPOSE,
    account_address_code_send,
    account_address_prove,
    account_language_set,
    account_login_unlock,
    account_profile_update,
    account_register,
)
from kexie.platform.privacy.services import consent_record
from kexie.platform.verification.services import remember_proven


def add_errors(form, exc: ValidationError) -> None:
    if hasattr(exc, "error_dict"):
        for field, errors in exc.message_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, exc.messages)


@sensitive_post_parameters("password1", "password2")
def register(request):
    if request.user.is_authenticated:
        return redirect("home")
    status = 200
    form = RegistrationForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            limits.hit(request, "register")
            user = account_register(
                name=data["name"],
                phone=data["phone"],
                email=data["email"],
                role=data["role"],
                password=data["password1"],
                language=request.LANGUAGE_CODE,
            )
        except limits.RateLimited as exc:
            form.add_error(None, exc.message)
            status = 429
        except ValidationError as exc:
            add_errors(form, exc)
        else:
            consent_record(notice_key="account", record=user)
            login(request, user, backend="kexie.platform.accounts.backends.PhoneOrEmailBackend")
            # With the way there: on a phone the menu that holds it is folded.
            messages.success(
                request,
                format_html(
                    '{} <a class="alert-link" href="{}">{}</a>',
                    _(
                        "注册成功，欢迎您，%(name)s！请在“验证手机/邮箱”中验证您填写的地址，"
                        "验证后才能用它登录、找回密码和接收通知。"
                    )
                    % {"name": user.name},
                    reverse("accounts:verify"),
                    _("验证手机/邮箱"),
                ),
            )
            return redirect(first_steps.first_step_url(user))
    return render(request, "registration/register.html", {"form": form}, status=status)


@login_required
@require_POST
def account_language(request):
    """Choose the language of the account's messages, on the account page."""
    form = AccountLanguageForm(request.POST)
    if form.is_valid():
        language = form.cleaned_data["language"]
        account_language_set(user=request.user, language=language)
        messages.success(
            request,
            _("已保存：今后发给您的短信和电子邮件使用%(language)s。")
            % {"language": dict(settings.LANGUAGES)[language]},
        )
    else:
        messages.error(request, _("请选择语言。"))
    return redirect(reverse("privacy:account") + "#language")


@login_required
@sensitive_post_parameters("code")
def verify_addresses(request):
    """Prove the addresses typed at registration, one code each."""
    user = request.user
    status = 200
    forms = {
        address: AddressCodeForm(initial={"address": address}) for address in user.pending_addresses
    }
    if request.method == "POST":
        form = AddressCodeForm(request.POST)
        address = request.POST.get("address", "")
        if form.is_valid() and address in forms:
            forms[address] = form
            try:
                if "send_code" in request.POST:
                    account_address_code_send(user=user, address=address, request=request)
                    messages.info(request, _("验证码已发出，10分钟内有效。"))
                    return redirect("accounts:verify")
                account_address_prove(
                    user=user, address=address, code=form.cleaned_data["code"], request=request
                )
                remember_proven(request, REGISTER_PURPOSE, address)
            except limits.RateLimited as exc:
                form.add_error(None, exc.message)
                status = 429
            except ValidationError as exc:
                add_errors(form, exc)
                status = 400
            else:
                messages.success(
                    request,
                    _("验证成功：%(address)s 已可用于登录和接收通知。") % {"address": address},
                )
                return redirect("accounts:verify")
        else:
            status = 400
            messages.error(request, _("只能验证本账户待验证的手机号码或电子邮箱。"))
    return render(
        request,
        "registration/verify_addresses.html",
        {"address_forms": list(forms.items())},
        status=status,
    )


@login_required
def profile(request):
    """The member's own name and addresses (``account_profile_update``)."""
    user = request.user
    initial = {
        "name": user.name,
        "phone": user.pending_phone or user.phone or "",
        "email": user.pending_email or user.email or "",
    }
    form = ProfileForm(request.POST or None, initial=initial)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                account_profile_update(user=user, **form.cleaned_data)
            except ValidationError as exc:
                add_errors(form, exc)
            else:
                if user.pending_addresses:
                    messages.info(request, _("已保存。请验证新填写的手机号码或电子邮箱。"))
                    return redirect("accounts:verify")
                messages.success(request, _("已保存。"))
                return redirect("privacy:account")
        status = 400
    return render(request, "registration/profile.html", {"form": form}, status=status)


class LoginView(auth_views.LoginView):
    """Log-in; staff and organisation managers land on their home (the
    workbench, ``STAFF_HOME_URL``) unless they were going somewhere."""

    def get_default_redirect_url(self):
        user = self.request.user
        if user.is_authenticated and (user.is_association_staff or user.is_org_manager):
            return resolve_url(settings.STAFF_HOME_URL)
        return super().get_default_redirect_url()


class PasswordResetConfirmView(auth_views.PasswordResetConfirmView):
    """Setting a new password from the mailed link also ends a log-in
    lockout of the account, so "log in now" on the next page is true."""

    def form_valid(self, form):
        response = super().form_valid(form)
        account_login_unlock(user=form.user)
        return response
