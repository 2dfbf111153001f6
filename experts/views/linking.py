"""Linking the expert record staff made (or invited) to one's account, after
proving its e-mail or mobile number with a one-time code."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_POST

from experts import access
from experts.forms import LinkAddressForm, LinkCodeForm
from experts.services import linking
from experts.views.common import flash_errors
from kexie.platform import limits
from kexie.platform.lib.validators import mask_phone
from kexie.platform.privacy.services import consent_record
from kexie.platform.verification import services as verification

# The address a code was sent to, between the two steps (not yet proven).
PENDING = "experts.link.pending"


def _masked(address: str) -> str:
    if "@" in address:
        name, _at, domain = address.partition("@")
        return f"{name[:1]}***@{domain}"
    return mask_phone(address)


def _linked(request, expert):
    messages.success(
        request,
        _("已关联专家档案「%(name)s」。邀请您对接的需求都在专家工作台。") % {"name": expert.name},
    )
    return redirect("experts:expert_dashboard")


@never_cache
@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def expert_link_start(request):
    if access.expert_profile(request.user) is not None:
        return redirect("experts:expert_dashboard")
    user = request.user
    # The address the record most likely holds: the account's own, or the one
    # typed at registration and not proven yet.
    known = user.email or user.phone or next(iter(user.pending_addresses), "")
    form = LinkAddressForm(request.POST or None, initial={"address": known})
    status = 200
    if request.method == "POST":
        status = 400
        if form.is_valid():
            try:
                address = verification.normalize_address(form.cleaned_data["address"])[1]
                sent = verification.code_request(
                    purpose=linking.LINK_PURPOSE, address=address, request=request
                )
            except limits.RateLimited as exc:
                form.add_error(None, exc.messages)
                status = 429
            except ValidationError:
                form.add_error("address", _("请输入有效的11位手机号码或电子邮箱。"))
            else:
                consent_record(notice_key="expert_link", record=sent)
                request.session[PENDING] = address
                return redirect("experts:expert_link_code")
    return render(request, "experts/expert_link_start.html", {"form": form}, status=status)


@never_cache
@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def expert_link_code(request):
    address = request.session.get(PENDING)
    if not address:
        return redirect("experts:expert_link_start")
    form = LinkCodeForm(request.POST or None)
    status = 200
    if request.method == "POST":
        status = 400
        if form.is_valid():
            try:
                verification.code_verify(
                    purpose=linking.LINK_PURPOSE,
                    address=address,
                    code=form.cleaned_data["code"],
                    request=request,
                )
            except limits.RateLimited as exc:
                form.add_error(None, exc.messages)
                status = 429
            except ValidationError as exc:
                form.add_error("code", exc.messages)
            else:
                verification.remember_proven(request, linking.LINK_PURPOSE, address)
                request.session.pop(PENDING, None)
                try:
                    expert = linking.expert_link(user=request.user, request=request)
                except ValidationError as error:
                    flash_errors(request, error)
                    return redirect("experts:expert_apply")
                return _linked(request, expert)
    return render(
        request,
        "experts/expert_link_code.html",
        {"form": form, "masked": _masked(address)},
        status=status,
    )


@login_required
@require_POST
def expert_link_confirm(request):
    """Link with an address proven already (the code that opened the account)."""
    try:
        expert = linking.expert_link(user=request.user, request=request)
    except ValidationError as error:
        flash_errors(request, error)
        return redirect("experts:expert_apply")
    return _linked(request, expert)
