from django.urls import path

from kaifaqu.core import files
from kaifaqu.core.audit import views as audit_views
from kaifaqu.core.calendar import month as calendar_month
from kaifaqu.core.calendar import views as calendar_views
from kaifaqu.core.calendar import years as calendar_years
from kaifaqu.core.imports import views as import_views
from kaifaqu.core.notify import views as notify_views
from kaifaqu.core.webhooks import views as webhook_views

urlpatterns = [
    path("audit/", audit_views.AuditEventListView.as_view(), name="audit-list"),
    path("audit/<int:pk>/", audit_views.AuditEventDetailView.as_view(), name="audit-detail"),
    path("calendar/", calendar_views.OverrideListView.as_view(), name="override-list"),
    path("calendar/new/", calendar_views.OverrideCreateView.as_view(), name="override-create"),
    path("calendar/<int:pk>/remove/", calendar_views.remove, name="override-remove"),
    path("calendar/hours/", calendar_views.WorkingHoursView.as_view(), name="working-hours"),
    path("calendar/month/", calendar_month.MonthView.as_view(), name="calendar-month"),
    path("calendar/confirm-year/", calendar_years.ConfirmYearView.as_view(), name="calendar-confirm-year"),
    path("webhooks/", webhook_views.WebhookListView.as_view(), name="webhook-list"),
    path("webhooks/new/", webhook_views.WebhookCreateView.as_view(), name="webhook-create"),
    path("webhooks/<int:pk>/", webhook_views.WebhookDetailView.as_view(), name="webhook-detail"),
    path("webhooks/<int:pk>/toggle/", webhook_views.toggle, name="webhook-toggle"),
    path("files/<int:pk>/", files.download, name="attachment-download"),
    path("imports/", import_views.ImportJobListView.as_view(), name="import-list"),
    path("imports/new/<slug:layout>/", import_views.upload, name="import-upload"),
    path("imports/templates/<slug:layout>/", import_views.template, name="import-template"),
    path("imports/<int:pk>/", import_views.detail, name="import-detail"),
    path("imports/<int:pk>/confirm/", import_views.confirm, name="import-confirm"),
    path("imports/<int:pk>/errors/", import_views.error_workbook, name="import-errors"),
    path("notifications/", notify_views.NotificationListView.as_view(), name="notification-list"),
    path("notifications/read-all/", notify_views.read_all, name="notification-read-all"),
    path("notifications/preferences/", notify_views.preferences, name="notification-preferences"),
    path("notifications/<int:pk>/", notify_views.open_notification, name="notification-open"),
]
