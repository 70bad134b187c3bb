"""URL configuration."""

import re

from allauth.account.decorators import secure_admin_login
from django.conf import settings
from django.conf.urls.i18n import i18n_patterns
from django.contrib import admin
from django.urls import include, path, re_path
from wagtail import urls as wagtail_urls
from wagtail.admin import urls as wagtailadmin_urls
from wagtail.api.v2.router import WagtailAPIRouter
from wagtail.api.v2.views import PagesAPIViewSet
from wagtail.contrib.sitemaps.views import sitemap
from wagtail.documents import urls as wagtaildocs_urls

from cascades import registry_views
from certificates import views as certificate_views
from elearning import views as elearning_views
from network import storage
from network import views as network_views
from reports import views as report_views
from trainees import views as trainee_views
from website import routing

# The Django admin signs in through the site's sign-in too (password, then second factor).
admin.site.login = secure_admin_login(admin.site.login)

api_router = WagtailAPIRouter("wagtailapi")
api_router.register_endpoint("pages", PagesAPIViewSet)


def _favicon(request):
    """The icon's static address (hashed in production), looked up when asked for."""
    from django.shortcuts import redirect
    from django.templatetags.static import static

    return redirect(static("favicon.svg"), permanent=True)


urlpatterns = [
    # Browsers ask for /favicon.ico whatever the page says.
    path("favicon.ico", _favicon, name="favicon"),
    path("django-admin/", admin.site.urls),
    path("admin/", include(wagtailadmin_urls)),
    path("documents/", include(wagtaildocs_urls)),
    path("api/v2/", api_router.urls),
    # The learning record store (xAPI 1.0.3).
    path("xapi/", include("xapi.urls")),
    # E-learning package files, served sandboxed (courses/views.py).
    path(
        "packages/<int:package_id>/<path:name>", elearning_views.package_file, name="package_file"
    ),
    # Open Badges 3.0: issuer profiles, the public key, revocation status lists.
    path("badges/", include("certificates.urls")),
    path("accounts/", include("allauth.urls")),
    path("i18n/setlang/", network_views.language_set, name="set_language"),
    path("healthz", network_views.health, name="health"),
    path("sitemap.xml", sitemap, name="sitemap"),
]

# The media tree's images, in every mode (network/storage.py); nothing else there is served.
# (A MEDIA_URL on another host, such as an S3-compatible store's, is served by that host.)
if settings.MEDIA_URL.startswith("/"):
    _media = re.escape(settings.MEDIA_URL.lstrip("/"))
    urlpatterns += [re_path(rf"^{_media}(?P<path>.+)$", storage.media_serve, name="media")]

urlpatterns += i18n_patterns(
    path("my/privacy/", network_views.privacy, name="privacy"),
    path("my/privacy/export.zip", network_views.privacy_export, name="privacy_export"),
    path("my/trainer/", registry_views.my_listing, name="trainer_listing"),
    path("my/", include("trainees.urls")),
    path("manage/cascades/", include("cascades.urls")),
    path("manage/trainers/", include("cascades.registry_urls")),
    path("manage/reports/", include("reports.urls")),
    path("follow-up/<str:token>/", report_views.followup, name="followup"),
    path("manage/certificates/expiring/", certificate_views.expiring, name="certificates_expiring"),
    path(
        "manage/runs/<int:run_id>/certificates/confirm/",
        certificate_views.certificate_confirm,
        name="certificate_confirm",
    ),
    path("manage/", include("trainees.manage_urls")),
    path("runs/<int:run_id>/", trainee_views.run_detail, name="run_detail"),
    # Anyone verifies a certificate, by its code or its file (no login).
    path("verify/", certificate_views.verify_start, name="verify_start"),
    path("verify/<str:code>/", certificate_views.verify, name="verify"),
    path(
        "my/certificates/<str:code>.pdf", certificate_views.certificate_pdf, name="certificate_pdf"
    ),
    path(
        "my/certificates/<str:code>/badge.jwt",
        certificate_views.certificate_badge,
        name="certificate_badge",
    ),
    path("learn/lessons/<int:lesson_id>/", elearning_views.lesson_launch, name="lesson_launch"),
    path("learn/lessons/<int:lesson_id>/quiz/", elearning_views.quiz_submit, name="quiz_submit"),
    path(
        "learn/lessons/<int:lesson_id>/scorm/replay/",
        elearning_views.scorm_replay,
        name="scorm_replay",
    ),
    # Pages are found by their URL path in a fixed number of queries, then served by Wagtail.
    re_path(r"^((?:[\w\-]+/)*)$", routing.serve, name="wagtail_serve"),
    path("", include(wagtail_urls)),
    prefix_default_language=False,
)
