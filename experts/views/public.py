from django.conf import settings
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import render
from django.template.loader import render_to_string
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_safe

from experts import access, selectors
from experts.digest_links import expert_id_from_token
from experts.forms import BoardFilterForm, ExpertFilterForm, InterestForm
from experts.models import Expert, Workstation
from experts.services import catalogue
from kexie.platform.lib import pagecache, partcache
from kexie.platform.lib.pagecache import public_page


@require_safe
@public_page(
    "experts",
    "members",
    # BoardFilterForm's fields and the pages.
    params={
        "q": pagecache.TEXT,
        "kind": pagecache.CHOICE,
        "field": pagecache.ID,
        "page": pagecache.PAGE,
    },
)
def board(request):
    user = request.user

    def content() -> str:
        form = BoardFilterForm(request.GET or None)
        needs = Paginator(
            selectors.board_needs(**form.filters()), settings.EXPERTS_PER_PAGE
        ).get_page(request.GET.get("page"))
        return render_to_string(
            "experts/_board.html",
            {"form": form, "needs": needs, "figures": selectors.platform_figures()},
            request=request,
        )

    # The same for every visitor of a role: the menu above it is their own.
    vary = (
        partcache.query_of(request, ("q", "kind", "field", "page")),
        getattr(user, "role", ""),
        getattr(user, "is_association_staff", False),
    )
    board = partcache.part(
        request, "experts:board", domains=("experts", "members"), vary=vary, render=content
    )
    return render(request, "experts/board.html", {"board": board})


@require_safe
def need_detail(request, pk):
    need = access.need_for_user(request.user, pk)
    return render(
        request, "experts/need_detail.html", {"page": selectors.need_page(need, request.user)}
    )


@require_safe
def expert_list(request):
    form = ExpertFilterForm(request.GET or None)
    experts = Paginator(
        selectors.expert_directory(**form.filters()), settings.EXPERTS_PER_PAGE
    ).get_page(request.GET.get("page"))
    return render(request, "experts/expert_list.html", {"form": form, "experts": experts})


@require_safe
def expert_detail(request, pk):
    expert = access.expert_for_user(request.user, pk)
    return render(
        request,
        "experts/expert_detail.html",
        {"expert": expert, **selectors.expert_page(expert)},
    )


@require_safe
def achievement_list(request):
    achievements = Paginator(selectors.achievement_list(), settings.EXPERTS_PER_PAGE).get_page(
        request.GET.get("page")
    )
    return render(request, "experts/achievement_list.html", {"achievements": achievements})


@require_safe
def achievement_detail(request, pk):
    achievement = access.achievement_for_user(request.user, pk)
    enterprise = access.enterprise_for_user(request.user)
    return render(
        request,
        "experts/achievement_detail.html",
        {"achievement": achievement, "enterprise": enterprise, "form": InterestForm()},
    )


@require_safe
def workstation_list(request):
    kind = request.GET.get("kind")
    if kind not in Workstation.Kind.values:
        kind = None
    stations = Paginator(selectors.workstation_list(kind=kind), settings.EXPERTS_PER_PAGE).get_page(
        request.GET.get("page")
    )
    return render(
        request,
        "experts/workstation_list.html",
        {"stations": stations, "kinds": Workstation.Kind.choices, "kind": kind},
    )


@require_safe
def workstation_detail(request, pk):
    workstation = access.workstation_for_user(request.user, pk)
    return render(
        request,
        "experts/workstation_detail.html",
        {"workstation": workstation, **selectors.workstation_page(workstation)},
    )


@never_cache
@require_http_methods(["GET", "HEAD", "POST"])
def digest_stop(request, token):
    """Stop the weekly digest from the link in it. GET only asks (mail
    scanners open links); the button POSTs."""
    expert = Expert.objects.filter(pk=expert_id_from_token(token) or 0).first()
    if expert is None:
        raise Http404
    stopped = False
    if request.method == "POST":
        catalogue.expert_digest_set(expert=expert, enabled=False)
        stopped = True
    response = render(request, "experts/digest_stop.html", {"expert": expert, "stopped": stopped})
    response["X-Robots-Tag"] = "noindex"
    return response
