from django.urls import path

from medreview.exams import views

urlpatterns = [
    path("referrals/<uuid:referral_id>/ime/", views.schedule_page, name="ime-schedule"),
    path("referrals/<uuid:referral_id>/ime/book/", views.book),
    path(
        "referrals/<uuid:referral_id>/ime/appointments/<int:appointment_id>/outcome/",
        views.outcome,
    ),
    path(
        "referrals/<uuid:referral_id>/ime/appointments/<int:appointment_id>/notice.pdf",
        views.notice_letter,
        name="ime-notice-letter",
    ),
]
