"""Each referral's decided path, from its latest triage decision (the field was added by
claims 0002; the decision in force is the latest, by time then id), and a decided referral
that waits for a physician says so (the status added by claims 0003)."""

from django.db import migrations


def forwards(apps, schema_editor):
    Referral = apps.get_model("claims", "Referral")
    TriageDecision = apps.get_model("triage", "TriageDecision")
    latest = {}
    for d in TriageDecision.objects.order_by("decided", "id").values("referral_id", "path"):
        latest[d["referral_id"]] = d["path"]
    for referral_id, path in latest.items():
        Referral.objects.filter(pk=referral_id).update(decided_path=path)
        Referral.objects.filter(pk=referral_id, status="triaged").update(status="decided")


class Migration(migrations.Migration):
    dependencies = [
        ("triage", "0001_initial"),
        ("claims", "0003_decided_status"),
    ]

    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
