from django.urls import path

from kexie.portal.workbench import views

app_name = "workbench"

urlpatterns = [
    path("", views.home, name="home"),
]
