from django.contrib.auth import views as auth_views
from django.urls import path, reverse_lazy

from kexie.platform.accounts import views
from kexie.platform.accounts.forms import EmailPasswordResetForm, LoginForm
from kexie.platform.lib.site import site_name_lazy

app_name = "accounts"

urlpatterns = [
    path("register/", views.register, name="register"),
    path("verify/", views.verify_addresses, name="verify"),
    path("language/", views.account_language, name="language"),
    path("profile/", views.profile, name="profile"),
    path(
        "login/",
        views.LoginView.as_view(authentication_form=LoginForm, redirect_authenticated_user=True),
        name="login",
    ),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    path(
        "password/change/",
        auth_views.PasswordChangeView.as_view(
            success_url=reverse_lazy("accounts:password_change_done")
        ),
        name="password_change",
    ),
    path(
        "password/change/done/",
        auth_views.PasswordChangeDoneView.as_view(),
        name="password_change_done",
    ),
    path(
        "password/reset/",
        auth_views.PasswordResetView.as_view(
            form_class=EmailPasswordResetForm,
            email_template_name="emails/password-reset-body.txt",
            subject_template_name="emails/password-reset-subject.txt",
            success_url=reverse_lazy("accounts:password_reset_done"),
            extra_email_context={"site_name": site_name_lazy()},
        ),
        name="password_reset",
    ),
    path(
        "password/reset/done/",
        auth_views.PasswordResetDoneView.as_view(),
        name="password_reset_done",
    ),
    path(
        "password/reset/<uidb64>/<token>/",
        views.PasswordResetConfirmView.as_view(
            success_url=reverse_lazy("accounts:password_reset_complete")
        ),
        name="password_reset_confirm",
    ),
    path(
        "password/reset/complete/",
        auth_views.PasswordResetCompleteView.as_view(),
        name="password_reset_complete",
    ),
]
