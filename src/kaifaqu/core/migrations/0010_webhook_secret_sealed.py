"""Webhook signing secrets move from clear text to SM4-sealed values (core.crypto, purpose ``webhook-secret``)."""

from django.db import migrations, models


def seal_existing(apps, schema_editor):
    from kaifaqu.core.crypto import seal

    Webhook = apps.get_model("core", "Webhook")
    for hook in Webhook.objects.all().only("id", "secret"):
        Webhook.objects.filter(pk=hook.pk).update(secret_sealed=seal(hook.secret.encode(), purpose="webhook-secret"))


def unseal_existing(apps, schema_editor):
    from kaifaqu.core.crypto import unseal

    Webhook = apps.get_model("core", "Webhook")
    for hook in Webhook.objects.all().only("id", "secret_sealed"):
        Webhook.objects.filter(pk=hook.pk).update(secret=unseal(hook.secret_sealed, purpose="webhook-secret").decode())


class Migration(migrations.Migration):

    dependencies = [
        ("core", "0009_deadline_workhours_ladder"),
    ]

    operations = [
        migrations.AddField(
            model_name="webhook",
            name="secret_sealed",
            field=models.CharField(default="", max_length=200, verbose_name="签名密钥（SM4 加密）"),
            preserve_default=False,
        ),
        migrations.RunPython(seal_existing, unseal_existing),
        migrations.RemoveField(model_name="webhook", name="secret"),
    ]
