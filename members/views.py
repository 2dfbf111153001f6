from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.views.decorators.http import require_safe

from members import access, org_sections, selectors
from members.forms import HonorFilterForm, OrgFilterForm

ORGS_PER_PAGE = 30
HONORS_PER_PAGE = 100


@require_safe
def org_list(request):
    form = OrgFilterForm(request.GET or None)
    directory = selectors.org_directory(**form.filters())
    societies = Paginator(directory.societies, ORGS_PER_PAGE).get_page(request.GET.get("sp"))
    branches = Paginator(directory.branches, ORGS_PER_PAGE).get_page(request.GET.get("bp"))
    return render(
        request,
        "members/org_list.html",
        {"form": form, "societies": societies, "branches": branches},
    )


@require_safe
def society_detail(request, pk):
    society = access.society_for_user(request.user, pk)
    return render(
        request,
        "members/society_detail.html",
        {
            "society": society,
            "org_sections": org_sections.collect(request, society),
            **selectors.society_page(society),
        },
    )


@require_safe
def branch_detail(request, pk):
    branch = access.branch_for_user(request.user, pk)
    return render(
        request,
        "members/branch_detail.html",
        {
            "branch": branch,
            "org_sections": org_sections.collect(request, branch),
            **selectors.branch_page(branch),
        },
    )


@require_safe
def honor_list(request):
    form = HonorFilterForm(request.GET or None)
    honors = Paginator(selectors.honor_roll(**form.filters()), HONORS_PER_PAGE).get_page(
        request.GET.get("page")
    )
    return render(
        request,
        "members/honor_list.html",
        {"form": form, "honors": honors, "years": selectors.honor_years()},
    )


@require_safe
def contest_index(request):
    years = selectors.contest_years()
    if not years:
        return render(request, "members/contest_year.html", {"years": [], "projects": []})
    return redirect("members:contest_year", year=years[0])


@require_safe
def contest_year(request, year):
    years = selectors.contest_years()
    if year not in years:
        raise Http404
    return render(
        request,
        "members/contest_year.html",
        {
            "year": year,
            "years": years,
            "projects": selectors.contest_year_projects(year),
            "summary": selectors.contest_year_summary(year),
        },
    )


@require_safe
@login_required
def three_heads_report(request):
    access.require_association_staff(request.user)
    return render(
        request, "members/staff/three_heads.html", {"coverage": selectors.three_heads_coverage()}
    )
