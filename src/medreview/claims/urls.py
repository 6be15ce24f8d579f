from django.contrib.auth import views as auth_views
from django.urls import path

from medreview.claims import settings_pages, views

urlpatterns = [
    path(
        "login/",
        auth_views.LoginView.as_view(template_name="registration/login.html"),
        name="login",
    ),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("", views.work_queue, name="work-queue"),
    path("settings/service-levels/", settings_pages.service_levels_page, name="service-levels"),
    path(
        "settings/service-levels/<int:organisation_id>/",
        settings_pages.set_service_levels,
        name="set-service-levels",
    ),
    path(
        "settings/jurisdiction-rules/",
        settings_pages.jurisdiction_rules_page,
        name="jurisdiction-rules",
    ),
    path(
        "settings/jurisdiction-rules/change/",
        settings_pages.change_jurisdiction_rule,
        name="change-jurisdiction-rule",
    ),
]
