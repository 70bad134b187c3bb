"""Staff pages for enrolment and attendance, under /manage/ (second factor required)."""

from django.urls import path

from . import views

urlpatterns = [
    path("", views.manage_home, name="manage_home"),
    path("queue/", views.manage_queue, name="manage_queue"),
    path("runs/<int:run_id>/", views.manage_run, name="manage_run"),
    path(
        "runs/<int:run_id>/attendance.<str:fmt>",
        views.manage_run_export,
        name="manage_run_export",
    ),
    path("sessions/<int:session_id>/register/", views.manage_register, name="manage_register"),
    path("sessions/<int:session_id>/check-in/", views.manage_check_in, name="manage_check_in"),
    path("teaching/", views.manage_teaching, name="manage_teaching"),
    path("nominations/", views.manage_nominations, name="manage_nominations"),
]
