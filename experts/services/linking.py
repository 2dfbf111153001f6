"""Linking an expert record staff made (or invited) to the account of the
person it describes, once that person has PROVEN the record's e-mail or
mobile number with a one-time code (``kexie.platform.verification``).

Nothing here takes an address from the caller: the address is read from the
proofs the verification module remembered in the visitor's session, so an
unverified claim cannot link anything.
"""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils.translation import gettext as _

from experts.models import Expert
from kexie.platform.accounts.models import User
from kexie.platform.accounts.services import REGISTER_PURPOSE
from kexie.platform.lib.validators import normalize_phone
from kexie.platform.verification import services as verification

LINK_PURPOSE = "experts.link"
# Proofs that count: a code typed on the linking page, or the code that
# opened the account moments ago.
PROOF_PURPOSES = (LINK_PURPOSE, REGISTER_PURPOSE)


def proven_addresses(request) -> list[str]:
    """The e-mail addresses and mobile numbers this visitor proved lately."""
    found = []
    for purpose in PROOF_PURPOSES:
        address = verification.proven_address(request, purpose)
        if address and address not in found:
            found.append(address)
    return found


def _same_address(expert: Expert, address: str) -> bool:
    if "@" in address:
        return expert.contact_email.strip().lower() == address
    try:
        return normalize_phone(expert.contact_phone) == address
    except (TypeError, ValueError, ValidationError):
        return False


def linkable_experts(addresses: list[str]) -> list[Expert]:
    """Active expert records without an account whose e-mail or mobile is one of these."""
    if not addresses:
        return []
    match = Q()
    for address in addresses:
        if "@" in address:
            match |= Q(contact_email__iexact=address)
        else:
            # Stored numbers may carry spaces or a +86; compared normalised below.
            match |= Q(contact_phone__endswith=address[-4:])
    candidates = Expert.objects.filter(match, user__isnull=True, is_active=True).order_by("pk")
    return [e for e in candidates if any(_same_address(e, a) for a in addresses)]


@transaction.atomic
def expert_link(*, user, request) -> Expert:
    """Link the one unlinked expert record whose e-mail or mobile this visitor
    proved to ``user``'s account. Raises a translated ``ValidationError`` when
    nothing is proven, no record or several records match, or the account
    already has an expert record."""
    if user is None or not user.is_authenticated:
        raise ValidationError(_("请先登录。"), code="not_permitted")
    addresses = proven_addresses(request)
    if not addresses:
        raise ValidationError(_("请先用验证码验证专家档案中的邮箱或手机号。"), code="not_proven")
    if Expert.objects.filter(user=user).exists():
        raise ValidationError(
            _("您的账户已关联专家档案，可在专家工作台修改资料。"), code="already_expert"
        )
    matches = linkable_experts(addresses)
    if not matches:
        raise ValidationError(
            _("没有找到使用该邮箱或手机号、尚未关联账户的专家档案。您可以申请加入专家库。"),
            code="not_found",
        )
    if len(matches) > 1:
        raise ValidationError(
            _("该邮箱或手机号对应多份专家档案，请联系科协工作人员为您关联。"),
            code="ambiguous",
        )
    expert = Expert.objects.select_for_update().get(pk=matches[0].pk)
    if expert.user_id is not None:
        # Linked by someone else between the look-up and the lock.
        raise ValidationError(_("该专家档案已关联其他账户。"), code="taken")
    expert.user = user
    expert.save(update_fields=["user"])
    if user.role == User.Role.PUBLIC:
        user.role = User.Role.EXPERT
        user.save(update_fields=["role"])
    return expert
