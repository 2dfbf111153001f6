from django.contrib import messages
from django.contrib.auth import login
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.debug import sensitive_post_parameters

from kexie.platform.accounts import first_steps
from kexie.platform.accounts.forms import RegistrationForm
from kexie.platform.privacy.services import consent_record


@sensitive_post_parameters("password1", "password2")
def register(request):
    if request.user.is_authenticated:
        return redirect("home")
    form = RegistrationForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        user = form.save()
        consent_record(notice_key="account", record=user)
        login(request, user, backend="kexie.platform.accounts.backends.PhoneOrEmailBackend")
        messages.success(request, _("注册成功，欢迎您，%(name)s！") % {"name": user.name})
        return redirect(first_steps.first_step_url(user))
    return render(request, "registration/register.html", {"form": form})
