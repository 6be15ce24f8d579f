"""A physician's load in two counts: `open_assignments` becomes the assignments medreview
gave that are still open (kept by the reviews app), and the new `outside_assignments` holds
the roster's `open_assignments` column, the work outside medreview, which an import replaces.

The old `open_assignments` mixed both (the last import's value, plus the assignments given
since, less those cancelled). For each physician the data step keeps as medreview's own the
assignments in force (every one but those cancelled) and counts the rest as outside work, never
below zero. Going back adds the two counts up again.
"""

from django.db import migrations, models
from django.db.models import Count, F


def split_load(apps, schema_editor):
    Physician = apps.get_model("network", "Physician")
    Assignment = apps.get_model("reviews", "Assignment")
    own = dict(
        Assignment.objects.exclude(status="cancelled")
        .order_by()
        .values("physician_id")
        .annotate(n=Count("id"))
        .values_list("physician_id", "n")
    )
    # Everyone's count was outside work, unless medreview gave some of it (below).
    Physician.objects.update(outside_assignments=F("open_assignments"), open_assignments=0)
    given = list(Physician.objects.filter(pk__in=list(own)))
    for p in given:
        p.outside_assignments = max(0, p.outside_assignments - own[p.pk])
        p.open_assignments = own[p.pk]
    Physician.objects.bulk_update(
        given, ["outside_assignments", "open_assignments"], batch_size=500
    )


def join_load(apps, schema_editor):
    Physician = apps.get_model("network", "Physician")
    Physician.objects.update(
        open_assignments=F("open_assignments") + F("outside_assignments"),
        outside_assignments=0,
    )


class Migration(migrations.Migration):

    dependencies = [
        ("network", "0001_initial"),
        # The data step counts the assignments of the reviews app (whose migrations depend
        # on network's 0001 only, so there is no cycle).
        ("reviews", "0002_assignment_cancelled"),
    ]

    operations = [
        migrations.AddField(
            model_name="physician",
            name="outside_assignments",
            field=models.PositiveIntegerField(
                default=0,
                help_text="the roster's open_assignments column: work outside medreview",
            ),
        ),
        migrations.AlterField(
            model_name="physician",
            name="open_assignments",
            field=models.PositiveIntegerField(
                default=0, help_text="assignments medreview gave that are still open"
            ),
        ),
        migrations.RunPython(split_load, join_load),
    ]
