from django.contrib import admin
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext_lazy as _

from kexie.platform.adminsite.history import HistoryAdmin
from kexie.platform.pictures import services
from kexie.platform.pictures.forms import PictureAdminForm
from kexie.platform.pictures.models import Picture
from kexie.platform.pictures.renditions import SIZES


@admin.register(Picture)
class PictureAdmin(HistoryAdmin):
    form = PictureAdminForm
    list_display = ["thumbnail", "alt", "caption", "original_private", "uploaded_at"]
    list_filter = ["original_private"]
    search_fields = ["alt", "caption", "credit"]
    readonly_fields = ["thumbnail", "addresses", "width", "height", "uploaded_by", "uploaded_at"]

    def get_fields(self, request, obj=None):
        if obj is None:
            return ["upload", "alt", "caption", "credit", "original_private"]
        return [
            "thumbnail",
            "alt",
            "caption",
            "credit",
            "original_private",
            "addresses",
            "width",
            "height",
            "uploaded_by",
            "uploaded_at",
        ]

    @admin.display(description=_("缩略图"))
    def thumbnail(self, obj):
        found = obj.rendition("thumb") if obj else None
        if not found:
            return "—"
        return format_html(
            '<img src="{}" width="120" height="80" alt="{}">', obj.url("thumb"), obj.alt
        )

    @admin.display(description=_("各尺寸地址（正文插图用“详情”地址）"))
    def addresses(self, obj):
        rows = [
            (size, obj.rendition(size)["width"], obj.rendition(size)["height"], obj.url(size))
            for size in SIZES
            if obj.rendition(size)
        ]
        return format_html(
            '<ul class="content-picture-urls">{}</ul>',
            format_html_join("", "<li>{} {}×{}: <code>{}</code></li>", rows),
        )

    def save_model(self, request, obj, form, change):
        if change:
            services.picture_describe(
                picture=obj,
                alt=obj.alt,
                caption=obj.caption,
                credit=obj.credit,
                original_private=obj.original_private,
            )
        else:
            services.picture_create(
                upload=form.cleaned_data["upload"],
                alt=obj.alt,
                caption=obj.caption,
                credit=obj.credit,
                original_private=obj.original_private,
                by=request.user,
                instance=obj,
            )

    def delete_model(self, request, obj):
        services.picture_delete(picture=obj)

    def delete_queryset(self, request, queryset):
        for picture in queryset:
            services.picture_delete(picture=picture)
