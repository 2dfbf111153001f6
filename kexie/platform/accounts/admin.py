from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.contrib.auth.forms import AdminUserCreationForm, UserChangeForm
from django.utils.translation import gettext_lazy as _

from kexie.platform.accounts.models import User
from kexie.platform.adminsite.history import HistoryAdmin

# Without that row a manager's workbench is empty and every admin list too.
MANAGER_NEEDS_AN_ORGANISATION = _(
    "组织管理员还需要在“学会与组织 › 组织管理员”中添加一条记录，指明其管理的学会或基层组织。"
)


class UserCreationAdminForm(AdminUserCreationForm):
    class Meta:
        model = User
        fields = ("name", "phone", "email", "role")

    def save(self, commit=True):
        # The role chosen here is the job: staff and managers work in the
        # admin from their first log-in, without a second visit to tick a box.
        self.instance.is_staff = self.cleaned_data["role"] in User.ADMIN_ROLES
        return super().save(commit)


class UserChangeAdminForm(UserChangeForm):
    class Meta:
        model = User
        fields = "__all__"

    def clean(self):
        cleaned = super().clean()
        if (
            cleaned.get("role") in User.ADMIN_ROLES
            and cleaned.get("is_active")
            and not cleaned.get("is_staff")
        ):
            # Otherwise the account keeps the role and meets a 403 on the
            # workbench and the admin's log-in page.
            self.add_error("is_staff", _("科协工作人员和组织管理员需要勾选“可进入管理后台”。"))
        return cleaned


@admin.register(User)
class UserAdmin(HistoryAdmin, DjangoUserAdmin):
    add_form = UserCreationAdminForm
    form = UserChangeAdminForm
    ordering = ["-date_joined"]
    list_display = ["name", "phone", "email", "role", "is_staff", "is_active", "date_joined"]
    list_filter = ["role", "is_staff", "is_active"]
    search_fields = ["name", "phone", "email", "pending_phone", "pending_email"]
    # Typed at registration and not proven: only a code changes them.
    readonly_fields = ["pending_phone", "pending_email"]
    fieldsets = (
        (None, {"fields": ("name", "phone", "email", "language", "password")}),
        (_("待验证的地址"), {"fields": ("pending_phone", "pending_email")}),
        (
            _("角色与权限"),
            {
                "fields": ("role", "is_active", "is_staff", "is_superuser", "groups"),
                "description": MANAGER_NEEDS_AN_ORGANISATION,
            },
        ),
        (_("时间"), {"fields": ("last_login", "date_joined")}),
    )
    add_fieldsets = (
        (
            None,
            {
                "classes": ("wide",),
                "description": MANAGER_NEEDS_AN_ORGANISATION,
                "fields": (
                    "name",
                    "phone",
                    "email",
                    "role",
                    "usable_password",
                    "password1",
                    "password2",
                ),
            },
        ),
    )
