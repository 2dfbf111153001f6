"""Who may write, review, correct, preview and download what.

Association staff write anything and approve what someone else wrote. An
organisation manager drafts and submits articles for the society or branch
they manage (and the branches under it), and never approves or publishes.
Each rule is one predicate, used by the views, the admin and the services.
"""

from django.core.exceptions import PermissionDenied
from django.http import Http404

from kexie.portal.content.models import Article, Attachment
from members.access import OrgScope, org_scope_for_user

S = Article.Status
EDITABLE = frozenset({S.DRAFT, S.RETURNED})


def covers(scope: OrgScope, article: Article) -> bool:
    """The article belongs to what ``scope`` covers (the association's own
    articles, with no organisation, only to staff)."""
    if scope.everything:
        return True
    return scope.covers_society(article.society_id) or scope.covers_branch(article.branch_id)


def may_write(user) -> bool:
    """May write articles at all: staff, or a manager of some organisation."""
    return not org_scope_for_user(user).is_empty


def can_edit(user, article: Article) -> bool:
    return article.status in EDITABLE and covers(org_scope_for_user(user), article)


def can_submit(user, article: Article) -> bool:
    return can_edit(user, article)


def is_author(user, article: Article) -> bool:
    return user.pk is not None and user.pk in (article.created_by_id, article.submitted_by_id)


def can_review(user, article: Article) -> bool:
    """A second member of staff: never the one who wrote or submitted it."""
    return (
        user.is_authenticated
        and user.is_association_staff
        and article.status == S.SUBMITTED
        and not is_author(user, article)
    )


def can_publish(user) -> bool:
    """Withdraw, correct or put back a published article: staff only."""
    return user.is_authenticated and user.is_association_staff


def can_correct(user, article: Article) -> bool:
    return can_publish(user) and article.status in (S.SCHEDULED, S.PUBLISHED)


def can_withdraw(user, article: Article) -> bool:
    return can_publish(user) and article.status in (S.SCHEDULED, S.PUBLISHED)


def can_reopen(user, article: Article) -> bool:
    """A withdrawn article back to draft, to be revised and reviewed again."""
    return can_publish(user) and article.status == S.WITHDRAWN


def article_for_staff(user, pk: int) -> Article:
    """An article a writer may see in the staff pages: 404 outside their scope
    (as if it did not exist), 403 for users who write no articles at all."""
    scope = org_scope_for_user(user)
    if scope.is_empty:
        raise PermissionDenied
    article = (
        Article.objects.select_related("column", "society", "branch", "created_by")
        .filter(pk=pk)
        .first()
    )
    if article is None or not covers(scope, article):
        raise Http404
    return article


def attachment_for_user(user, pk: int) -> Attachment:
    """A file of a public article, or of one the user may preview; else 404."""
    attachment = Attachment.objects.select_related("article").filter(pk=pk).first()
    if attachment is None:
        raise Http404
    if attachment.article.is_public():
        return attachment
    if user.is_authenticated and covers(org_scope_for_user(user), attachment.article):
        return attachment
    raise Http404
