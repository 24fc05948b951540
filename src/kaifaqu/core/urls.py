from django.urls import path

from . import audit_views

urlpatterns = [
    path("audit/", audit_views.AuditEventListView.as_view(), name="audit-list"),
    path("audit/<int:pk>/", audit_views.AuditEventDetailView.as_view(), name="audit-detail"),
]
