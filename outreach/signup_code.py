"""The mobile-number check by code on the sign-ups of an event whose staff
turned it on (``Event.signup_needs_code``: popular events, where people would
otherwise sign up with numbers that are not theirs, or by the hundred).

An event without it signs up exactly as before. With it, the form carries a
code field: the first submission without a code sends one to the number typed
(through ``kexie.platform.verification``, limited by ``code_request`` in
``kexie.platform.limits``) and comes back with everything typed kept and the
reason; the next submission with the code signs up. A number proven once is
remembered in the session for ``VERIFICATION_PROVEN_SECONDS`` (a second try
after "seats short" or another event needs no new code), and a signed-in
user's own proven mobile number needs none.
"""

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from kexie.platform import limits
from kexie.platform.lib.validators import mask_phone, normalize_phone, validate_mobile
from kexie.platform.verification import services as verification
from kexie.platform.verification import steps

PURPOSE = "outreach.signup"
RESEND = "send_code"


def needs_code(event) -> bool:
    return bool(getattr(event, "signup_needs_code", False))


def add_code_field(form) -> None:
    form.fields["code"] = forms.CharField(
        label=gettext_lazy("短信验证码"),
        max_length=12,
        required=False,
        help_text=gettext_lazy(
            "本活动报名需验证手机号码：第一次提交时，验证码会发到上面的号码，填写后再次提交即可。"
        ),
        widget=forms.TextInput(attrs={"autocomplete": "one-time-code", "inputmode": "numeric"}),
    )


def _already_proven(request, phone: str) -> bool:
    user = request.user
    if user.is_authenticated and user.phone and normalize_phone(user.phone) == phone:
        return True
    return verification.proven_address(request, PURPOSE) == phone


def _send(request, form, phone: str) -> int | None:
    """Send a code; on refusal put the reason on the form and return the status."""
    try:
        verification.code_request(purpose=PURPOSE, address=phone, request=request)
    except limits.RateLimited as exc:
        form.add_error(None, exc.messages)
        return 429
    except ValidationError as exc:
        form.add_error("phone", exc.messages)
        return 400
    return None


def phone_check(request, event, form) -> int | None:
    """Run the check on a valid sign-up form. Returns None when the sign-up
    may go ahead, else the status of the page to show again (the reason is on
    the form, ``form.code_notice`` says a code went out)."""
    if not needs_code(event):
        return None
    phone = normalize_phone(form.cleaned_data.get("phone") or "")
    try:
        validate_mobile(phone)
    except ValidationError:
        # Not a mobile number: the sign-up service reports it with the rest.
        return None
    resend = bool(request.POST.get(RESEND))
    if not resend and _already_proven(request, phone):
        return None
    typed = (form.cleaned_data.get("code") or "").strip()
    if resend or not typed:
        refused = _send(request, form, phone)
        if refused:
            return refused
        if resend:
            form.code_notice = _("验证码已发送到%(phone)s，几分钟内有效。") % {
                "phone": mask_phone(phone)
            }
            return 200
        form.add_error(
            "code",
            _("本活动报名需要验证手机号码：验证码已发送到%(phone)s，请填写验证码后再次提交。")
            % {"phone": mask_phone(phone)},
        )
        return 400
    return steps.verify(request, form, purpose=PURPOSE, address=phone, code=typed)
