"""The audit trail's hashes become keyed (HMAC-SHA256 with `settings.AUDIT_KEY`): every chain
is hashed again, in order, as it stands when this migration runs, and its newest event
checkpointed. What the unkeyed hashes proved until now is checked first: a chain already
broken is left as it is (still broken), never made whole by the new key."""

import hashlib
import hmac
import json

from django.conf import settings
from django.db import migrations

GENESIS = "0" * 64


def _canonical(e, prev_hash):
    content = {
        "chain": e.chain,
        "seq": e.seq,
        "at": e.at.isoformat(),
        "actor": e.actor,
        "action": e.action,
        "detail": e.detail,
        "prev_hash": prev_hash,
    }
    return json.dumps(content, sort_keys=True, separators=(",", ":"), default=str).encode()


def _rehash(apps, schema_editor):
    from medreview.audit import checkpoints

    AuditEvent = apps.get_model("audit", "AuditEvent")
    key = settings.AUDIT_KEY.encode()
    chains = AuditEvent.objects.values_list("chain", flat=True).distinct()
    for chain in list(chains):
        events = list(AuditEvent.objects.filter(chain=chain).order_by("seq"))
        previous, whole = GENESIS, True
        for n, e in enumerate(events, start=1):
            old = hashlib.sha256(_canonical(e, e.prev_hash)).hexdigest()
            if e.seq != n or e.prev_hash != previous or e.hash != old:
                whole = False
                break
            previous = e.hash
        if not whole:
            continue
        previous = GENESIS
        for e in events:
            e.prev_hash = previous
            e.hash = hmac.new(key, _canonical(e, previous), hashlib.sha256).hexdigest()
            previous = e.hash
        AuditEvent.objects.bulk_update(events, ["prev_hash", "hash"], batch_size=500)
        if events:
            checkpoints.write(chain, events[-1].seq, events[-1].hash)


class Migration(migrations.Migration):
    dependencies = [("audit", "0002_initial")]

    operations = [migrations.RunPython(_rehash, migrations.RunPython.noop)]
