"""The admin writes through the services: drafts and corrections are saved by
``article_save`` / ``article_correct``, attachments by ``attachment_*``; the
status changes only by the actions and the review page."""

from functools import partial

from django.contrib import admin, messages
from django.urls import reverse
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from kexie.platform.adminsite.history import HistoryAdmin
from kexie.platform.lib.admin_doors import ServiceAdminMixin, service_action
from kexie.portal.content import access, services
from kexie.portal.content.forms import ArticleAdminForm, AttachmentInlineForm
from kexie.portal.content.models import Article, Attachment, Column, Tag
from members.admin_scoping import OrgScopedAdminMixin

S = Article.Status


@admin.register(Column)
class ColumnAdmin(HistoryAdmin):
    list_display = ["name", "slug", "order", "allows_pinning", "on_home"]
    list_editable = ["order"]
    search_fields = ["name"]


@admin.register(Tag)
class TagAdmin(HistoryAdmin):
    search_fields = ["name"]


class AttachmentInline(admin.TabularInline):
    model = Attachment
    form = AttachmentInlineForm
    extra = 1
    fields = ["file", "title", "order", "download", "size_label"]
    readonly_fields = ["download", "size_label"]

    @admin.display(description=_("已上传"))
    def download(self, obj):
        if not (obj and obj.pk):
            return "—"
        return format_html('<a href="{}">{}</a>', obj.get_absolute_url(), obj.original_name)

    @admin.display(description=_("大小"))
    def size_label(self, obj):
        from kexie.platform.lib.validators import size_label

        return size_label(obj.size) if obj and obj.pk else "—"

    def _files_open(self, request, obj) -> bool:
        if obj is None:
            return True
        return access.can_edit(request.user, obj) or access.can_correct(request.user, obj)

    def has_add_permission(self, request, obj=None):
        return super().has_add_permission(request, obj) and self._files_open(request, obj)

    def has_change_permission(self, request, obj=None):
        return super().has_change_permission(request, obj) and self._files_open(request, obj)

    def has_delete_permission(self, request, obj=None):
        return super().has_delete_permission(request, obj) and self._files_open(request, obj)


def _attachment_row(article, data, request, attachment) -> None:
    if data.get("DELETE") and attachment.pk:
        services.attachment_delete(attachment=attachment, by=request.user)
    elif attachment.pk:
        services.attachment_update(
            attachment=attachment,
            by=request.user,
            title=data.get("title", ""),
            order=data.get("order") or 0,
        )
    elif data.get("file"):
        services.attachment_add(
            article=article, by=request.user, upload=data["file"], title=data.get("title", "")
        )


@admin.register(Article)
class ArticleAdmin(ServiceAdminMixin, OrgScopedAdminMixin, HistoryAdmin):
    form = ArticleAdminForm
    list_display = ["title", "column", "status", "organisation_name", "publish_at", "created_by"]
    list_filter = ["status", "column"]
    search_fields = ["title", "summary"]
    list_select_related = ["column", "society", "branch", "created_by"]
    autocomplete_fields = [
        "cover",
        "tags",
        "related_events",
        "related_venues",
        "related_societies",
        "related_needs",
    ]
    readonly_fields = [
        "status",
        "publish_at",
        "created_by",
        "submitted_by",
        "submitted_at",
        "reviewed_by",
        "reviewed_at",
        "review_comment",
        "workflow_links",
    ]
    inlines = [AttachmentInline]
    actions = ["submit_articles", "reopen_articles"]

    def view_on_site(self, obj):
        # Only what the public can read has a page to view: a draft's or a
        # returned article's "view on site" led to a 404.
        return obj.get_absolute_url() if obj.is_public() else None

    def get_fieldsets(self, request, obj=None):
        main = ["column", "title", "summary", "cover", "body", "source", "author_name", "tags"]
        if obj is not None and obj.status in (S.SCHEDULED, S.PUBLISHED):
            main.append("correction_note")
        related = ["related_events", "related_venues", "related_societies"]
        if request.user.is_association_staff:
            related.append("related_needs")
        fieldsets = [
            (None, {"fields": main}),
            (_("所属组织"), {"fields": ["society", "branch"]}),
            (_("置顶与截止"), {"fields": ["is_pinned", "closes_at"]}),
            (_("相关链接"), {"fields": related, "classes": ["collapse"]}),
        ]
        if obj is not None:
            fieldsets.insert(
                0,
                (
                    _("审核与发布"),
                    {
                        "fields": [
                            "workflow_links",
                            "status",
                            "publish_at",
                            "created_by",
                            "submitted_by",
                            "submitted_at",
                            "reviewed_by",
                            "reviewed_at",
                            "review_comment",
                        ]
                    },
                ),
            )
        return fieldsets

    def get_form(self, request, obj=None, change=False, **kwargs):
        form = super().get_form(request, obj, change=change, **kwargs)
        form.writer = request.user
        return form

    @admin.display(description=_("所属组织"))
    def organisation_name(self, obj):
        return obj.organisation or gettext("本会")

    @admin.display(description=_("操作"))
    def workflow_links(self, obj):
        if obj is None or obj.pk is None:
            return "—"
        links = [(reverse("content:staff_preview", args=[obj.pk]), gettext("预览"))]
        if obj.status == S.SUBMITTED:
            links.append((reverse("content:staff_review", args=[obj.pk]), gettext("审核")))
        if obj.status in (S.SCHEDULED, S.PUBLISHED):
            links.append((reverse("content:staff_withdraw", args=[obj.pk]), gettext("撤下")))
        if obj.is_public():
            links.append((obj.get_absolute_url(), gettext("查看公开页面")))
        links.append((reverse("admin:content_article_history", args=[obj.pk]), gettext("历史版本")))
        return format_html_join(" · ", '<a href="{}">{}</a>', links)

    # Who may change what: drafts and returned articles by their writers,
    # approved ones by staff (a correction); submitted and withdrawn ones not
    # at all here (the review page, the reopen action).

    def has_change_permission(self, request, obj=None):
        if not super().has_change_permission(request, obj):
            return False
        if obj is None:
            return True
        return access.can_edit(request.user, obj) or access.can_correct(request.user, obj)

    def has_delete_permission(self, request, obj=None):
        if not super().has_delete_permission(request, obj):
            return False
        return obj is None or obj.status in access.EDITABLE | {S.WITHDRAWN}

    def save_service(self, request, obj, form, change):
        if change and obj.status in (S.SCHEDULED, S.PUBLISHED):
            services.article_correct(
                article=obj, by=request.user, note=form.cleaned_data.get("correction_note", "")
            )
        else:
            services.article_save(article=obj, by=request.user)

    def delete_service(self, request, obj):
        services.article_delete(article=obj, by=request.user)

    def save_formset(self, request, form, formset, change):
        if formset.model is not Attachment:
            return super().save_formset(request, form, formset, change)
        article = form.instance
        for inline in formset.forms:
            if not inline.has_changed() and not inline.instance.pk:
                continue
            data = inline.cleaned_data
            if not data:
                continue
            # The file's checks and the article's limits are the services'.
            self._formset_row(
                request, partial(_attachment_row, article, data), inline.instance, inline.prefix
            )
        formset.new_objects, formset.changed_objects, formset.deleted_objects = [], [], []

    def response_add(self, request, obj, post_url_continue=None):
        if "_continue" not in request.POST and "_addanother" not in request.POST:
            self.message_user(
                request,
                gettext("草稿已保存。写好后请在列表中选中它，用“送审”操作交给另一位工作人员审核。"),
                messages.SUCCESS,
            )
        return super().response_add(request, obj, post_url_continue)

    submit_articles = service_action(
        description=_("送审所选文章"),
        service=services.article_submit,
        target="article",
        done_message=_("已送审 %(count)s 篇。"),
    )
    reopen_articles = service_action(
        description=_("重新编辑所选已撤下的文章"),
        service=services.article_reopen,
        target="article",
        done_message=_("已改回草稿 %(count)s 篇。"),
    )
