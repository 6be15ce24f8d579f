from django.urls import path

from medreview.reports import views

urlpatterns = [
    path("portal/", views.portal, name="portal"),
    path("portal/<int:assignment_id>/", views.assignment_page, name="portal-assignment"),
    path("portal/<int:assignment_id>/attest/", views.attest),
    path("portal/<int:assignment_id>/decline/", views.decline),
    path("portal/<int:assignment_id>/answer/", views.answer),
    path("portal/<int:assignment_id>/cite/", views.cite),
    path("portal/<int:assignment_id>/uncite/", views.uncite),
    path("portal/<int:assignment_id>/peer-to-peer/", views.peer_to_peer),
    path("portal/<int:assignment_id>/submit/", views.submit),
    path("portal/<int:assignment_id>/addenda/<int:number>/", views.answer_addendum),
    path("portal/<int:assignment_id>/records/", views.record_page, name="portal-record"),
    path("portal/<int:assignment_id>/records/page.png", views.record_image),
    path("qa/", views.qa_queue, name="qa-queue"),
    path("qa/<int:assignment_id>/", views.qa_page, name="qa-review"),
    path("qa/<int:assignment_id>/decide/", views.qa_decide),
    path("referrals/<uuid:referral_id>/report.pdf", views.report, name="report"),
]
