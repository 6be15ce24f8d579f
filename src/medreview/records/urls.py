from django.urls import path

from medreview.records import views

urlpatterns = [
    path("referrals/<uuid:referral_id>/records/view/", views.view_page, name="record-page"),
    path("referrals/<uuid:referral_id>/records/page.png", views.page_image, name="record-image"),
    path(
        "referrals/<uuid:referral_id>/records/<int:file_id>/download/",
        views.download,
        name="record-download",
    ),
    path("referrals/<uuid:referral_id>/documents/correct/", views.correct_document),
    path("referrals/<uuid:referral_id>/gaps/dismiss/", views.dismiss_gap),
    path("referrals/<uuid:referral_id>/gaps/request/", views.request_records),
    path("referrals/<uuid:referral_id>/requests/<int:request_id>/", views.update_request),
]
