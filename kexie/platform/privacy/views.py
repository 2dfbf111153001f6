"""A person's own data (个人信息查询、导出与删除), after proving their phone
number with a one-time code.

The first step answers the same whether or not the number is known (a code
is sent either way, through ``kexie.platform.verification``, which limits how
often); nothing about the number is shown until the right code is typed.
"""

import json

from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_safe

from kexie.platform.accounts.forms import AccountLanguageForm
from kexie.platform.lib.validators import mask_phone
from kexie.platform.privacy.forms import AccountCloseForm, EraseForm
from kexie.platform.privacy.services import (
    account_data,
    account_erase,
    account_may_close,
    consent_record,
    subject_data,
    subject_erase,
)
from kexie.platform.verification import services as verification
from kexie.platform.verification import steps
from kexie.platform.verification.forms import CodeForm, PhoneForm

PURPOSE = "privacy.request"
PENDING = "privacy.request.pending"


def _private(response):
    response["X-Robots-Tag"] = "noindex"
    return response


@never_cache
@require_http_methods(["GET", "HEAD", "POST"])
def start(request):
    form = PhoneForm(request.POST or None)
    status = 200
    if request.method == "POST":
        sent, status = steps.send_code(request, form, purpose=PURPOSE, pending_key=PENDING)
        if sent is not None:
            consent_record(notice_key="data_request", record=sent)
            return redirect("privacy:code")
    return _private(render(request, "privacy/start.html", {"form": form}, status=status))


@never_cache
@require_http_methods(["GET", "HEAD", "POST"])
def code(request):
    phone = request.session.get(PENDING)
    if not phone:
        return redirect("privacy:start")
    form = CodeForm(request.POST or None)
    status = 200
    if request.method == "POST":
        status = steps.check_code(
            request, form, purpose=PURPOSE, address=phone, pending_key=PENDING
        )
        if status is None:
            return redirect("privacy:mine")
    return _private(
        render(
            request,
            "privacy/code.html",
            {"form": form, "masked_phone": mask_phone(phone)},
            status=status,
        )
    )


def _proven(request) -> str | None:
    return verification.proven_address(request, PURPOSE)


@never_cache
@require_http_methods(["GET", "HEAD", "POST"])
def mine(request):
    phone = _proven(request)
    if not phone:
        messages.info(request, _("请先验证手机号码。"))
        return redirect("privacy:start")
    form = EraseForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        changed = subject_erase(phone)
        verification.forget_proven(request, PURPOSE)
        messages.success(
            request,
            _("已删除与手机号码%(phone)s相关的个人信息（%(n)s条记录）。统计人数不受影响。")
            % {"phone": mask_phone(phone), "n": changed},
        )
        return redirect("privacy:start")
    return _private(
        render(
            request,
            "privacy/mine.html",
            {"form": form, "found": subject_data(phone), "masked_phone": mask_phone(phone)},
            status=400 if form.errors else 200,
        )
    )


def _json_download(payload: dict):
    response = HttpResponse(
        json.dumps(payload, ensure_ascii=False, indent=2, default=str),
        content_type="application/json; charset=utf-8",
    )
    response["Content-Disposition"] = 'attachment; filename="my-data.json"'
    return _private(response)


@never_cache
@require_safe
def export(request):
    phone = _proven(request)
    if not phone:
        return redirect("privacy:start")
    return _json_download(
        {
            "phone": phone,
            "exported_at": timezone.localtime().isoformat(timespec="seconds"),
            "data": subject_data(phone),
        }
    )


@never_cache
@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def account(request):
    """A signed-in person's own data: see it, download it, close the account."""
    user = request.user
    may_close = account_may_close(user)
    form = AccountCloseForm(request.POST if request.method == "POST" else None, user=user)
    if request.method == "POST" and may_close and form.is_valid():
        changed = account_erase(user)
        logout(request)
        messages.success(
            request,
            _("账户已注销，相关个人信息已删除（%(n)s条记录）。统计人数不受影响。") % {"n": changed},
        )
        return redirect("home")
    return _private(
        render(
            request,
            "privacy/account.html",
            {
                "form": form,
                "found": account_data(user),
                "may_close": may_close,
                "language_form": AccountLanguageForm(initial={"language": user.language}),
            },
            status=400 if form.errors else 200,
        )
    )


@never_cache
@login_required
@require_safe
def account_export(request):
    return _json_download(
        {
            "account": request.user.email or request.user.phone or request.user.pk,
            "exported_at": timezone.localtime().isoformat(timespec="seconds"),
            "data": account_data(request.user),
        }
    )
