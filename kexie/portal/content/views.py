from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Page, Paginator
from django.http import FileResponse, Http404
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_safe

from kexie.platform.lib import pagecache
from kexie.platform.lib.pagecache import public_page
from kexie.platform.lib.stored_files import open_or_404
from kexie.portal.content import access, rendered, selectors, services
from kexie.portal.content.forms import ReviewForm, WithdrawForm
from members.access import require_association_staff

PER_PAGE = 20
#: Past it a page number is checked against the count first (an OFFSET the
#: database takes).
MAX_PAGE = 100_000


def _page(request, columns, column, now):
    """A page of the list's rows, each ending with the list's count: the page
    and the pager's count from one query (``selectors.public_list_page``). A
    number that is not a page of the list (past its end, zero, not a number)
    is turned into one as Paginator does."""
    wanted = request.GET.get("page") or "1"
    found = []
    if len(wanted) <= 6 and wanted.isascii() and wanted.isdigit() and 0 < int(wanted) <= MAX_PAGE:
        number = int(wanted)
        found = selectors.public_list_page(
            columns=columns, column=column, number=number, per_page=PER_PAGE
        )
    if found:
        paginator = Paginator((), PER_PAGE)
        paginator.count = found[0][-1]
        page = Page(found, number, paginator)
    else:
        rows = selectors.public_list_rows(column=column, now=now)
        page = Paginator(rows, PER_PAGE).get_page(request.GET.get("page"))
    page.object_list = [row[:-1] for row in page.object_list]
    return page


# Public -----------------------------------------------------------------------


def _list(request, column, columns):
    """A page of rows, then each entry as kept apart (content.rendered)."""
    now = timezone.now()
    page = _page(request, columns, column, now)
    rows = [
        (pk, pinned, closes_at is not None and closes_at <= now)
        for pk, pinned, closes_at in page.object_list
    ]
    return render(
        request,
        "content/article_list.html",
        {
            "column": column,
            "tabs": _tabs(columns, column),
            "page": page,
            "items": rendered.article_items(rows, show_column=column is None),
        },
    )


def _tabs(columns: selectors.Columns, column) -> str:
    """The columns' tabs, the current one marked: written once per language
    and column while the columns are unchanged (kept beside them)."""
    key = (translation.get_language(), column.pk if column else None)
    found = columns.tabs.get(key)
    if found is None:
        found = columns.tabs[key] = render_to_string(
            "content/_column_tabs.html", {"columns": columns, "column": column}
        )
    return found


@require_safe
@public_page("content", "pictures", params={"page": pagecache.PAGE})
def article_index(request):
    return _list(request, None, selectors.columns())


@require_safe
@public_page("content", "pictures", params={"page": pagecache.PAGE})
def column(request, slug: str):
    columns = selectors.columns()
    found = next((column for column in columns if column.slug == slug), None)
    if found is None:
        raise Http404
    return _list(request, found, columns)


# Related events, venues, societies and needs are shown by name.
@require_safe
@public_page("content", "outreach", "members", "experts", "pictures")
def article(request, pk: int):
    found = selectors.article_public_head(pk=pk)
    if found is None:
        raise Http404
    return render(
        request,
        "content/article_detail.html",
        {"article": found, "body": rendered.article_body(found)},
    )


@require_safe
def attachment(request, pk: int):
    """Always a download, under the name it was uploaded with, in the type its
    content was found to be (never sniffed as HTML by the browser)."""
    found = access.attachment_for_user(request.user, pk)
    response = FileResponse(
        open_or_404(found.file),
        as_attachment=True,
        filename=found.original_name,
        content_type=found.content_type,
    )
    if not found.article.is_public():
        response["Cache-Control"] = "private, no-store"
    return response


# Staff ------------------------------------------------------------------------


@login_required
@never_cache
@require_safe
def preview(request, pk: int):
    """The article exactly as the public page will show it, whatever its status."""
    access.article_for_staff(request.user, pk)
    found = selectors.article_any(pk=pk)
    response = render(request, "content/article_detail.html", {"article": found, "preview": True})
    response["X-Robots-Tag"] = "noindex"
    return response


@login_required
@require_safe
def review_list(request):
    require_association_staff(request.user)
    return render(
        request, "content/staff/review_list.html", {"articles": selectors.awaiting_review()}
    )


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def review(request, pk: int):
    require_association_staff(request.user)
    found = access.article_for_staff(request.user, pk)
    allowed = access.can_review(request.user, found)
    form = ReviewForm(request.POST or None)
    if request.method == "POST":
        if not allowed:
            raise PermissionDenied
        if form.is_valid():
            data = form.cleaned_data
            try:
                if data["decision"] == "approve":
                    services.article_approve(
                        article=found,
                        by=request.user,
                        publish_at=data["publish_at"],
                        comment=data["comment"],
                    )
                    if found.is_public():
                        messages.success(request, _("已通过审核并发布。"))
                    else:
                        messages.success(request, _("已通过审核，将按设定时间发布。"))
                else:
                    services.article_return(article=found, by=request.user, comment=data["comment"])
                    messages.success(request, _("已退回撰稿人修改。"))
                return redirect("content:staff_review_list")
            except ValidationError as exc:
                for message in exc.messages:
                    form.add_error(None, message)
    return render(
        request,
        "content/staff/review.html",
        {"article": found, "form": form, "allowed": allowed},
    )


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def withdraw(request, pk: int):
    require_association_staff(request.user)
    found = access.article_for_staff(request.user, pk)
    if not access.can_withdraw(request.user, found):
        raise PermissionDenied
    form = WithdrawForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.article_withdraw(
                article=found, by=request.user, reason=form.cleaned_data["reason"]
            )
        except ValidationError as exc:
            for message in exc.messages:
                form.add_error(None, message)
        else:
            messages.success(request, _("文章已撤下。"))
            return redirect("admin:content_article_change", found.pk)
    return render(request, "content/staff/withdraw.html", {"article": found, "form": form})
