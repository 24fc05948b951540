from django.urls import path

from . import views

urlpatterns = [
    path("projects/", views.ProjectListView.as_view(), name="project-list"),
    path("projects/new/", views.ProjectCreateView.as_view(), name="project-create"),
    path("projects/<int:pk>/", views.ProjectDetailView.as_view(), name="project-detail"),
    path("projects/<int:pk>/edit/", views.ProjectEditView.as_view(), name="project-edit"),
    path("projects/<int:pk>/do/<slug:action>/", views.ProjectActionView.as_view(), name="project-action"),
    path("projects/<int:pk>/logs/new/", views.ServiceLogCreateView.as_view(), name="log-create"),
    path("logs/", views.ServiceLogListView.as_view(), name="log-list"),
    path("logs/<int:pk>/whistle/", views.ServiceLogWhistleView.as_view(), name="log-whistle"),
    path("figures/", views.FiguresView.as_view(), name="figures"),
    path("settings/<int:pk>/", views.SettingsEditView.as_view(), name="settings-edit"),
]
