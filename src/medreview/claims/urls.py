from django.contrib.auth import views as auth_views
from django.urls import path

from medreview.claims import views

urlpatterns = [
    path(
        "login/",
        auth_views.LoginView.as_view(template_name="registration/login.html"),
        name="login",
    ),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("", views.work_queue, name="work-queue"),
    path("referrals/new/", views.new_referral, name="new-referral"),
    path("referrals/<uuid:referral_id>/", views.case_page, name="case"),
    path("referrals/<uuid:referral_id>/decision/", views.decide, name="decide"),
]
