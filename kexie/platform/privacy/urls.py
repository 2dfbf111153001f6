from django.urls import path

from kexie.platform.privacy import views

app_name = "privacy"

urlpatterns = [
    path("", views.start, name="start"),
    path("code/", views.code, name="code"),
    path("mine/", views.mine, name="mine"),
    path("mine/export.json", views.export, name="export"),
    path("account/", views.account, name="account"),
    path("account/export.json", views.account_export, name="account_export"),
]
