from django.urls import path

from kexie.portal.reports import views

app_name = "reports"

urlpatterns = [
    path("", views.dashboard, name="dashboard"),
    path("annual/", views.annual, name="annual"),
    path("export/<str:table>.xlsx", views.export, name="export"),
]
