from django.urls import path

from members import views

app_name = "members"

urlpatterns = [
    path("orgs/", views.org_list, name="org_list"),
    path("orgs/society/<int:pk>/", views.society_detail, name="society_detail"),
    path("orgs/branch/<int:pk>/", views.branch_detail, name="branch_detail"),
    path("honors/", views.honor_list, name="honor_list"),
    path("contest/", views.contest_index, name="contest_index"),
    path("contest/<int:year>/", views.contest_year, name="contest_year"),
    path("staff/orgs/three-heads/", views.three_heads_report, name="three_heads_report"),
]
