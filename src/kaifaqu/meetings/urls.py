from django.urls import path

from . import views

urlpatterns = [
    path("", views.MeetingListView.as_view(), name="meeting-list"),
    path("new/", views.ScheduleView.as_view(), name="meeting-create"),
    path("body/", views.BodyView.as_view(), name="body"),
    path("body/edit/", views.BodyEditView.as_view(), name="body-edit"),
    path("<int:pk>/", views.MeetingDetailView.as_view(), name="meeting-detail"),
    path("<int:pk>/attendance/", views.AttendanceView.as_view(), name="meeting-attendance"),
    path("<int:pk>/agenda/add/", views.AgendaAddView.as_view(), name="meeting-agenda-add"),
    path("<int:pk>/decisions/add/", views.DecisionAddView.as_view(), name="meeting-decision-add"),
    path("<int:pk>/do/<slug:action>/", views.MeetingActionView.as_view(), name="meeting-action"),
    path("decisions/", views.DecisionListView.as_view(), name="decision-list"),
    path("decisions/mine/", views.MyDecisionsView.as_view(), name="decision-open"),
    path("decisions/open/", views.OpenDecisionsView.as_view(), name="decision-open-zone"),
    path("decisions/<int:pk>/", views.DecisionDetailView.as_view(), name="decision-detail"),
    path("decisions/<int:pk>/do/<slug:action>/", views.DecisionActionView.as_view(), name="decision-action"),
]
