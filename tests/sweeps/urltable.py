"""The table of every URL pattern in the URLconf and how to fill its arguments
from ``sweep_world``.

A pattern is named by its namespaced URL name, or by its full route when it
has no name. The admin's patterns are covered by a rule (``admin_targets``)
instead of one row each: its index and site pages, and for every registered
model its changelist and change page (add, history and delete pages as staff
too). ``test_every_url_pattern_is_in_the_sweep`` fails when a pattern is
neither in ``URLS`` nor covered by the rule, so a new URL joins the sweep.
"""

import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass

from django.contrib import admin
from django.contrib.auth.tokens import default_token_generator
from django.contrib.contenttypes.models import ContentType
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode

from experts.digest_links import stop_token

World = dict
Kwargs = Callable[[World], dict]


def _pk(key: str) -> Kwargs:
    return lambda w: {"pk": w[key].pk}


def _reset_kwargs(w: World) -> dict:
    user = w["enterprise_user"]
    return {
        "uidb64": urlsafe_base64_encode(force_bytes(user.pk)),
        "token": default_token_generator.make_token(user),
    }


NONE: Kwargs = lambda w: {}  # noqa: E731

# name (or route) -> kwargs builder, for every pattern outside the admin.
URLS: dict[str, Kwargs] = {
    # Site
    "home": NONE,
    "healthz": NONE,
    "favicon": NONE,
    "switch_language": lambda w: {"code": "en"},
    "language_prefix": lambda w: {"prefix": "en", "rest": "events/"},
    # Accounts
    "accounts:register": NONE,
    "accounts:verify": NONE,
    "accounts:language": NONE,
    "accounts:profile": NONE,
    "accounts:login": NONE,
    "accounts:logout": NONE,
    "accounts:password_change": NONE,
    "accounts:password_change_done": NONE,
    "accounts:password_reset": NONE,
    "accounts:password_reset_done": NONE,
    "accounts:password_reset_confirm": _reset_kwargs,
    "accounts:password_reset_complete": NONE,
    # Members
    "members:org_list": NONE,
    "members:society_detail": _pk("society"),
    "members:branch_detail": _pk("branch"),
    "members:honor_list": NONE,
    "members:contest_index": NONE,
    "members:contest_year": lambda w: {"year": w["contest"].year},
    "members:three_heads_report": NONE,
    # Outreach
    "outreach:event_list": NONE,
    "outreach:event_calendar": NONE,
    "outreach:events_feed": NONE,
    "outreach:campaign_feed": _pk("campaign"),
    "outreach:event_detail": _pk("own_event"),
    "outreach:event_ics": _pk("own_event"),
    "outreach:registration_manage": lambda w: {"code": w["own_registration"].code},
    "outreach:registration_qr": lambda w: {"code": w["own_registration"].code},
    "outreach:registration_ics": lambda w: {"code": w["own_registration"].code},
    "outreach:registration_cancel": lambda w: {"code": w["own_registration"].code},
    "outreach:recover_start": NONE,
    "outreach:recover_code": NONE,
    "outreach:recover_list": NONE,
    "outreach:speaker_team_list": NONE,
    "outreach:lecture_request_status": lambda w: {"code": w["own_lecture_request"].code},
    "outreach:staff_lecture_requests": NONE,
    "outreach:speaker_team_detail": _pk("own_team"),
    "outreach:venue_list": NONE,
    "outreach:venue_detail": _pk("venue"),
    "outreach:staff_event_registrations": _pk("own_event"),
    "outreach:staff_registrations_xlsx": _pk("own_event"),
    "outreach:staff_registration_cancel": lambda w: {
        "pk": w["own_event"].pk,
        "registration_pk": w["own_registration"].pk,
    },
    "outreach:staff_check_in": _pk("own_event"),
    "outreach:staff_check_in_counts": _pk("own_event"),
    "outreach:staff_lecture_request": _pk("own_lecture_request"),
    # A survey link that does not exist: 404 for everyone.
    "outreach:feedback": lambda w: {"token": "not-a-token"},
    # A sign-up without a certificate, and a check code that does not exist: 404.
    "outreach:certificate": lambda w: {"code": "not-a-code"},
    "outreach:certificate_pdf": lambda w: {"code": "not-a-code"},
    "outreach:certificate_check": lambda w: {"check_code": "not-a-code"},
    # 科协帮: public
    "experts:board": NONE,
    "experts:digest_stop": lambda w: {"token": stop_token(w["expert"])},
    "experts:need_detail": _pk("matched"),
    "experts:expert_list": NONE,
    "experts:expert_detail": _pk("expert"),
    "experts:achievement_list": NONE,
    "experts:achievement_detail": _pk("achievement"),
    "experts:workstation_list": NONE,
    "experts:workstation_detail": _pk("station"),
    # 科协帮: enterprises
    "experts:discipline_suggest": NONE,
    "experts:enterprise_start": NONE,
    "experts:enterprise_register": NONE,
    "experts:enterprise_profile": NONE,
    "experts:my_needs": NONE,
    "experts:need_create": NONE,
    "experts:need_edit": _pk("draft"),
    "experts:need_action": _pk("draft"),
    "experts:attachment_upload": _pk("matched"),
    "experts:attachment_download": _pk("attachment"),
    "experts:attachment_delete": _pk("attachment"),
    "experts:achievement_interest": _pk("achievement"),
    # 科协帮: experts and enterprises
    "experts:confidentiality": _pk("matched"),
    "experts:response_create": _pk("matched"),
    "experts:response_message": _pk("response"),
    "experts:response_accept": _pk("response"),
    "experts:engagement": _pk("engaged"),
    "experts:engagement_log": _pk("engaged"),
    "experts:engagement_resolve": _pk("engaged"),
    "experts:rate": _pk("engaged"),
    "experts:rating_reply": _pk("rated"),
    "experts:expert_dashboard": NONE,
    "experts:expert_apply": NONE,
    "experts:expert_link_start": NONE,
    "experts:expert_link_code": NONE,
    "experts:expert_link_confirm": NONE,
    "experts:expert_digest": NONE,
    "experts:expert_profile": NONE,
    "experts:invitation_decline": _pk("invitation"),
    # 科协帮: staff
    "experts:review_queue": NONE,
    "experts:staff_need_list": NONE,
    "experts:invite": _pk("matched"),
    "experts:need_terms": _pk("matched"),
    "experts:keyword_synonym": _pk("matched"),
    "experts:interests": NONE,
    "experts:application_list": NONE,
    "experts:application_detail": _pk("application"),
    "experts:application_decide": _pk("application"),
    "experts:interest_update": _pk("interest"),
    # Staff workbench
    "workbench:home": NONE,
    # News and notices (content)
    "about:page": NONE,
    "content:index": NONE,
    "content:column": lambda w: {"slug": "news"},
    "content:feed_rss": lambda w: {"slug": "news"},
    "content:feed_atom": lambda w: {"slug": "news"},
    "content:article": _pk("article"),
    "content:attachment": _pk("article_attachment"),
    "content:staff_review_list": NONE,
    "content:staff_preview": _pk("own_article_draft"),
    "content:staff_review": _pk("submitted_article"),
    "content:staff_withdraw": _pk("article"),
    # Personal information (code first: the later steps redirect to the start)
    "privacy:start": NONE,
    "privacy:code": NONE,
    "privacy:mine": NONE,
    "privacy:export": NONE,
    "privacy:account": NONE,
    "privacy:account_export": NONE,
    # Pictures
    "pictures:original": _pk("private_picture"),
    "pictures:rendition": lambda w: {
        "path": w["picture"].rendition("thumb")["name"].removeprefix("pictures/")
    },
    # Site search
    "search:results": NONE,
    # Staff reports
    "reports:dashboard": NONE,
    "reports:annual": NONE,
    "reports:export": lambda w: {"table": "trend"},
}

# Patterns whose answer to a visitor is a redirect somewhere other than the
# log-in page, by design.
REDIRECTS_ANYWHERE = {
    "switch_language",  # back to the page the visitor came from
    "language_prefix",  # to the page without the prefix
    "favicon",  # to the icon among the static files
    "accounts:logout",  # to the home page
    "admin:logout",  # to the admin index, which asks to log in
    "accounts:password_reset_confirm",  # to the token-less URL, then shows the form
    "admin:view_on_site",  # to the object's public page
    "members:contest_index",  # to the latest year's contest
    "outreach:recover_code",  # to the first step until a number is given
    "outreach:recover_list",  # to the first step until a number is proven
    "privacy:code",  # to the first step until a number is given
    "privacy:mine",  # to the first step until a number is proven
    "privacy:export",  # the same
}

# Admin site pages that are not about one model.
ADMIN_SITE = {
    "admin:index": NONE,
    "admin:login": NONE,
    "admin:logout": NONE,
    "admin:password_change": NONE,
    "admin:password_change_done": NONE,
    "admin:autocomplete": NONE,
    "admin:jsi18n": NONE,
    "admin:app_list": lambda w: {"app_label": "outreach"},
    # UserAdmin names its page after django.contrib.auth, not the accounts app.
    "admin:auth_user_password_change": lambda w: {"id": w["public_user"].pk},
    "admin:view_on_site": lambda w: {
        "content_type_id": ContentType.objects.get_for_model(w["own_event"]).pk,
        "object_id": w["own_event"].pk,
    },
}
# Unnamed admin patterns: the old change URL (redirects to .../change/) and
# the catch-all that answers 404 or a redirect to log in.
ADMIN_UNNAMED = re.compile(r"^admin/(\(\?P<url>\.\*\)\$|[a-z_]+/[a-z_]+/<path:object_id>/)$")


@dataclass(frozen=True)
class Pattern:
    key: str  # namespaced name, or the full route when unnamed
    route: str


def url_patterns(patterns=None, prefix: str = "", namespace: str = "") -> Iterator[Pattern]:
    """Every pattern of the URLconf, walked recursively through includes."""
    if patterns is None:
        patterns = get_resolver().url_patterns
    for entry in patterns:
        route = prefix + str(entry.pattern)
        if isinstance(entry, URLResolver):
            inner = namespace
            if entry.namespace:
                inner = f"{namespace}:{entry.namespace}" if namespace else entry.namespace
            yield from url_patterns(entry.url_patterns, route, inner)
        elif isinstance(entry, URLPattern):
            if entry.name:
                key = f"{namespace}:{entry.name}" if namespace else entry.name
            else:
                key = route
            yield Pattern(key=key, route=route)


def admin_model_prefixes() -> set[str]:
    return {
        f"admin:{model._meta.app_label}_{model._meta.model_name}_" for model in admin.site._registry
    }


def covered_by_admin_rule(pattern: Pattern) -> bool:
    if pattern.key in ADMIN_SITE:
        return True
    if ADMIN_UNNAMED.match(pattern.key):
        return True
    return any(pattern.key.startswith(prefix) for prefix in admin_model_prefixes())


def uncovered_patterns() -> list[Pattern]:
    return [p for p in url_patterns() if p.key not in URLS and not covered_by_admin_rule(p)]


def stale_rows() -> set[str]:
    """Rows of the table whose pattern is gone from the URLconf."""
    return set(URLS) - {p.key for p in url_patterns()}


@dataclass(frozen=True)
class Target:
    key: str
    url: str
    staff_only: bool = False


def app_targets(world: World) -> list[Target]:
    return [Target(key, reverse(key, kwargs=build(world))) for key, build in URLS.items()]


def admin_targets(world: World) -> list[Target]:
    targets = [Target(key, reverse(key, kwargs=build(world))) for key, build in ADMIN_SITE.items()]
    for model in admin.site._registry:
        meta = model._meta
        obj = model._default_manager.order_by("pk").first()
        # A model with no row is still swept: its change page answers for a missing object.
        object_id = obj.pk if obj is not None else 0
        base = f"admin:{meta.app_label}_{meta.model_name}"
        targets.append(Target(f"{base}_changelist", reverse(f"{base}_changelist")))
        targets.append(Target(f"{base}_change", reverse(f"{base}_change", args=[object_id])))
        targets.append(Target(f"{base}_add", reverse(f"{base}_add"), staff_only=True))
        for page in ("history", "delete"):
            targets.append(
                Target(
                    f"{base}_{page}",
                    reverse(f"{base}_{page}", args=[object_id]),
                    staff_only=True,
                )
            )
    return targets


def login_urls() -> tuple[str, ...]:
    return (reverse("accounts:login"), reverse("admin:login"))
