"""The staff reports: the dashboard, the printable annual report and the
Excel export of any of their tables."""

from urllib.parse import quote, urlencode

from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe

from kexie.platform.privacy.services import export_log
from kexie.portal.reports import selectors
from kexie.portal.reports.access import ReportScope, report_scope_for_user
from kexie.portal.reports.excel import table_workbook
from kexie.portal.reports.params import ReportParamError, period_from_query


def _error(request, message: str, *, status: int = 400):
    return render(request, "reports/error.html", {"message": message}, status=status)


def _context(request) -> tuple[selectors.ReportContext, ReportScope]:
    period = period_from_query(request.GET)
    scope = report_scope_for_user(request.user, request.GET)
    ctx = selectors.ReportContext(period=period, scope=scope.scope, now=timezone.now())
    return ctx, scope


def _page(request, template: str, *, with_choices: bool = False):
    try:
        ctx, scope = _context(request)
    except ReportParamError as exc:
        return _error(request, str(exc))
    tables = selectors.dashboard(ctx)
    return render(
        request,
        template,
        {
            "period": ctx.period,
            "query_string": urlencode({**ctx.period.query(), **scope.query}),
            "scope_query": scope.query,
            "scope_label": scope.label,
            "orgs": selectors.org_choices(scope.full) if with_choices else None,
            "tables": tables,
            "headline": selectors.headline(tables),
            "generated": timezone.localtime(ctx.now),
            # The town-by-town page behind the three-heads table is the association's.
            "three_heads_url": (
                reverse("members:three_heads_report")
                if with_choices and request.user.is_association_staff
                else ""
            ),
        },
    )


@login_required
@require_safe
def dashboard(request):
    return _page(request, "reports/dashboard.html", with_choices=True)


@login_required
@require_safe
def annual(request):
    return _page(request, "reports/annual.html")


@login_required
@require_safe
def export(request, table: str):
    try:
        ctx, scope = _context(request)
    except ReportParamError as exc:
        return _error(request, str(exc))
    if table not in selectors.TABLES:
        return _error(request, _("没有名为“%(name)s”的报表。") % {"name": table}, status=404)
    report = selectors.report_table(table, ctx)
    heading = f"{scope.label} · {ctx.period.label} · {report.title}"
    # Aggregates only, no personal data; logged like every staff export.
    export_log(user=request.user, what=heading, rows=len(report.rows), fields=report.columns)
    response = HttpResponse(
        table_workbook(report, heading=heading),
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )
    filename = f"{ctx.period.label}{report.title}.xlsx"
    response["Content-Disposition"] = (
        f"attachment; filename=\"report-{table}.xlsx\"; filename*=UTF-8''{quote(filename)}"
    )
    return response
