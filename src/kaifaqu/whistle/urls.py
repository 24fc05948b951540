from django.urls import path

from . import views

urlpatterns = [
    path("", views.WhistleListView.as_view(), name="whistle-list"),
    path("inbox/", views.InboxView.as_view(), name="inbox"),
    path("new/", views.BlowView.as_view(), name="whistle-create"),
    path("metrics/", views.MetricsView.as_view(), name="metrics"),
    path("policy/", views.PolicyView.as_view(), name="policy"),
    path("policy/scoring/", views.ScoringEditView.as_view(), name="scoring-edit"),
    path("policy/edit/", views.PolicyEditView.as_view(), name="policy-edit"),
    path("<int:pk>/", views.WhistleDetailView.as_view(), name="whistle-detail"),
    path("<int:pk>/do/<slug:action>/", views.WhistleActionView.as_view(), name="whistle-action"),
    path("assignments/<int:pk>/", views.AssignmentDetailView.as_view(), name="assignment-detail"),
    path("assignments/<int:pk>/do/<slug:action>/", views.AssignmentActionView.as_view(), name="assignment-action"),
    path("assignments/<int:pk>/evidence/", views.EvidenceUploadView.as_view(), name="assignment-evidence"),
]
