from django.urls import path

from . import views

app_name = "trainees"
urlpatterns = [
    path("", views.my_learning, name="my_learning"),
    path("profile/", views.profile_edit, name="profile"),
    path("runs/<int:run_id>/enrol/", views.run_enrol, name="run_enrol"),
    path("enrolments/<int:enrolment_id>/withdraw/", views.enrolment_withdraw, name="withdraw"),
    path("enrolments/<int:enrolment_id>/accept/", views.offer_accept, name="accept_offer"),
    path("calendar/<str:token>.ics", views.calendar_feed, name="calendar"),
    path("sessions/<int:session_id>/check-in/<str:token>/", views.check_in, name="check_in"),
    path("invitations/<str:token>/", views.invitation_accept, name="invitation"),
]
