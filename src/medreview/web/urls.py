from django.urls import include, path

from medreview.web import case, claim_file, site
from medreview.web.api import api

# A database out of reach answers 503, in pages and API alike; any other error the 500 page.
handler500 = "medreview.web.unavailable.server_error"

urlpatterns = [
    path("api/v1/", api.urls),
    path("favicon.ico", site.favicon),
    path("", include("medreview.claims.urls")),
    path("", include("medreview.records.urls")),
    path("", include("medreview.network.urls")),
    path("", include("medreview.reviews.urls")),
    path("", include("medreview.reports.urls")),
    path("", include("medreview.outbox.urls")),
    path("", include("medreview.exams.urls")),
    path("referrals/<uuid:referral_id>/", case.case_page, name="case"),
    path("referrals/<uuid:referral_id>/decision/", case.decide, name="decide"),
    path("referrals/<uuid:referral_id>/documents/correct/", case.correct_document),
    path("referrals/<uuid:referral_id>/gaps/dismiss/", case.dismiss_gap),
    path("referrals/<uuid:referral_id>/gaps/request/", case.request_records),
    path("referrals/<uuid:referral_id>/requests/<int:request_id>/", case.update_request),
    path("referrals/<uuid:referral_id>/assign/", case.assign, name="assign"),
    path("referrals/<uuid:referral_id>/addenda/", case.ask_for_addendum),
    path("referrals/<uuid:referral_id>/ime-referral/confirm/", case.confirm_ime_referral),
    path("referrals/<uuid:referral_id>/close/", case.close_referral),
    path("referrals/<uuid:referral_id>/claim-file.zip", claim_file.download, name="claim-file"),
]
