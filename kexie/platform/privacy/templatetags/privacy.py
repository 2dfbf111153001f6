from django import template

from kexie.platform.privacy.notices import notice

register = template.Library()


@register.inclusion_tag("privacy/_notice.html")
def privacy_notice(key: str, *, consent_by_submit: bool = True):
    """The notice of a form: what, why, how long, who to ask."""
    return {"notice": notice(key), "consent_by_submit": consent_by_submit}
