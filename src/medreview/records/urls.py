from django.urls import path

from medreview.records import views

urlpatterns = [
    path("referrals/new/", views.new_referral, name="new-referral"),
    path("referrals/<uuid:referral_id>/records/view/", views.view_page, name="record-page"),
    path("referrals/<uuid:referral_id>/records/page.png", views.page_image, name="record-image"),
    path(
        "referrals/<uuid:referral_id>/records/<int:file_id>/download/",
        views.download,
        name="record-download",
    ),
]
