from django.urls import path

from . import audit_views, files, notify_views

urlpatterns = [
    path("audit/", audit_views.AuditEventListView.as_view(), name="audit-list"),
    path("audit/<int:pk>/", audit_views.AuditEventDetailView.as_view(), name="audit-detail"),
    path("files/<int:pk>/", files.download, name="attachment-download"),
    path("notifications/", notify_views.NotificationListView.as_view(), name="notification-list"),
    path("notifications/read-all/", notify_views.read_all, name="notification-read-all"),
    path("notifications/preferences/", notify_views.preferences, name="notification-preferences"),
    path("notifications/<int:pk>/", notify_views.open_notification, name="notification-open"),
]
