from django.conf import settings
from django.db import migrations, models

from kaifaqu.core.crypto import hmac_digest, mac_key


def head_mac(seq, last_hash):
    # Same message and key as kaifaqu.core.audit.anchor.head_mac at the time of writing.
    message = f"audit-head|{int(seq)}|{last_hash}".encode()
    return hmac_digest(mac_key(settings.AUDIT_KEY, "audit-head"), message).hex()


def seal_head(apps, schema_editor):
    Head = apps.get_model("core", "AuditChainHead")
    for head in Head.objects.all():
        Head.objects.filter(pk=head.pk).update(mac=head_mac(head.seq, head.last_hash))


class Migration(migrations.Migration):
    dependencies = [("core", "0012_import_file_purged")]

    operations = [
        migrations.AddField(
            model_name="auditchainhead",
            name="mac",
            field=models.CharField(blank=True, default="", max_length=64),
        ),
        migrations.RunPython(seal_head, migrations.RunPython.noop),
    ]
