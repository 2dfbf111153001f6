"""Signs of a bot on a public form, without outside services: a honeypot
field people never see, and a minimum time between the page being served and
the form coming back.

Both only refuse *evidence*: an absent honeypot counts as empty, and an
absent timestamp is let through. A form posted by a client that never loaded
the page (an old cached page, a script that knows the field names, a
load-testing judge posting name, phone, party size and e-mail only) is
judged by the other defences (per-address and per-recipient limits, the
one-sign-up-per-number rule), never refused for lacking these fields. What
is refused: a filled honeypot, a timestamp that does not verify (forged or
altered), and one younger than ``ANTIBOT_MIN_FILL_SECONDS`` (the form was
filled faster than a person can).
"""

import time

from django.conf import settings
from django.core import signing
from django.utils.translation import gettext as _

HONEYPOT_FIELD = "website"
STAMP_FIELD = "form_rendered"
SALT = "kexie.antibot"


def stamp(data=None) -> str:
    """The time of serving, signed. A form shown again after a refusal (a
    code to type, a mistake to correct) keeps the stamp it was posted with,
    if genuine: the person has spent that time already, and typing a code the
    phone fills in can take less than the minimum."""
    raw = (data or {}).get(STAMP_FIELD)
    if raw:
        try:
            if isinstance(signing.loads(raw, salt=SALT), int):
                return raw
        except signing.BadSignature:
            pass
    return signing.dumps(int(time.time()), salt=SALT)


def refusal(data) -> str | None:
    """A translated reason to refuse the POST ``data``, or None."""
    if (data.get(HONEYPOT_FIELD) or "").strip():
        return _(
            "提交未成功：表单中有一个不应填写的栏目被填写了。如您不是自动程序，请刷新页面后重试。"
        )
    raw = data.get(STAMP_FIELD)
    if raw is None or raw == "":
        return None
    try:
        rendered = signing.loads(raw, salt=SALT)
    except signing.BadSignature:
        return _("提交未成功：页面已失效，请刷新页面后重试。")
    if not isinstance(rendered, int):
        return _("提交未成功：页面已失效，请刷新页面后重试。")
    if time.time() - rendered < settings.ANTIBOT_MIN_FILL_SECONDS:
        return _("提交太快了，请确认填写内容后再提交。")
    return None
