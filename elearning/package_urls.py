"""The package origin's only routes (see elearning/middleware.py): a SCORM attempt's files,
its run-time scripts and its commit address, all under the attempt's token."""

from django.urls import path

from . import views

_ATTEMPT = "packages/<int:package_id>/a/<str:token>/"

urlpatterns = [
    path(f"{_ATTEMPT}~/player", views.scorm_player, name="scorm_player"),
    path(f"{_ATTEMPT}~/api.js", views.scorm_api_js, name="scorm_api_js"),
    path(f"{_ATTEMPT}~/runtime.js", views.scorm_runtime_js, name="scorm_runtime_js"),
    path(f"{_ATTEMPT}~/commit", views.scorm_commit, name="scorm_commit"),
    path(f"{_ATTEMPT}<path:name>", views.scorm_file, name="scorm_file"),
]

# Nothing of the platform's renders here, not even its error pages.
handler404 = "elearning.views.package_origin_not_found"
handler500 = "elearning.views.package_origin_error"
