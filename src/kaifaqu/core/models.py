"""The core app's models module: Django finds the tables of every core package through these imports."""

from kaifaqu.core.audit.models import AuditChainHead, AuditEvent  # noqa: F401
from kaifaqu.core.calendar.models import PublishedYear, WorkdayOverride, WorkingPeriod  # noqa: F401
from kaifaqu.core.clock.models import ClockEscalation, ClockExtension, ClockPause, DeadlineClock  # noqa: F401
from kaifaqu.core.files.models import Attachment  # noqa: F401
from kaifaqu.core.imports.models import ImportJob  # noqa: F401
from kaifaqu.core.notify.models import Notification, NotificationPreference  # noqa: F401
from kaifaqu.core.webhooks.models import Webhook, WebhookDelivery  # noqa: F401
