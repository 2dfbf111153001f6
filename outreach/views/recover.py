"""Finding a lost private link again, by phone number and a one-time code.

The first step answers the same whether or not the number signed up for
anything (the code is sent either way, through ``kexie.platform.verification``,
which also limits how often); only a visitor who types the code sent to the
number sees its sign-ups.
"""

from django.contrib import messages
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_safe

from kexie.platform.lib.validators import mask_phone
from kexie.platform.privacy.services import consent_record
from kexie.platform.verification import services as verification
from kexie.platform.verification import steps
from kexie.platform.verification.forms import CodeForm
from outreach import selectors
from outreach.forms import RecoverPhoneForm

PURPOSE = "outreach.recover"
# The number the code was sent to, between the two steps (not yet proven).
PENDING = "outreach.recover.pending"


@never_cache
@require_http_methods(["GET", "HEAD", "POST"])
def recover_start(request):
    form = RecoverPhoneForm(request.POST or None)
    status = 200
    if request.method == "POST":
        sent, status = steps.send_code(request, form, purpose=PURPOSE, pending_key=PENDING)
        if sent is not None:
            consent_record(notice_key="recover", record=sent)
            return redirect("outreach:recover_code")
    return render(request, "outreach/recover_start.html", {"form": form}, status=status)


@never_cache
@require_http_methods(["GET", "HEAD", "POST"])
def recover_code(request):
    phone = request.session.get(PENDING)
    if not phone:
        return redirect("outreach:recover_start")
    form = CodeForm(request.POST or None)
    status = 200
    if request.method == "POST":
        status = steps.check_code(
            request, form, purpose=PURPOSE, address=phone, pending_key=PENDING
        )
        if status is None:
            return redirect("outreach:recover_list")
    return render(
        request,
        "outreach/recover_code.html",
        {"form": form, "masked_phone": mask_phone(phone)},
        status=status,
    )


@never_cache
@require_safe
def recover_list(request):
    """The sign-ups of a proven number; a signed-in member's own ("我的报名"
    in the menu) need no code, their account's number being proven."""
    phone = verification.proven_address(request, PURPOSE)
    if phone:
        registrations = selectors.registrations_for_phone(phone=phone)
    elif request.user.is_authenticated:
        registrations = selectors.registrations_for_account(user=request.user)
    else:
        messages.info(request, _("请先验证手机号码。"))
        return redirect("outreach:recover_start")
    response = render(
        request,
        "outreach/recover_list.html",
        {
            "registrations": registrations,
            "masked_phone": mask_phone(phone) if phone else "",
        },
    )
    response["X-Robots-Tag"] = "noindex"
    return response
