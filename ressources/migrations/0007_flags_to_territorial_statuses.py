"""Today's yes/no flags become national statuses (France métropolitaine, source « saisie »)."""

from django.db import migrations

# Frozen copy of ressources.models.taxa.FLAG_STATUSES: a migration must not follow later code changes.
FLAG_STATUSES = {
    "is_protected": {"kind": "protection", "type_code": "PN", "code": "PN", "label": "Protection nationale"},
    "is_threatened": {"kind": "liste-rouge", "type_code": "LRN", "code": "MENACE",
                      "label": "Menacée (vulnérable, en danger ou en danger critique)"},
    "is_invasive": {"kind": "envahissante", "type_code": "REGLII", "code": "EEE", "label": "Exotique envahissante"},
}


def flags_to_statuses(apps, schema_editor):
    Taxon = apps.get_model("ressources", "Taxon")
    TaxonStatus = apps.get_model("ressources", "TaxonStatus")
    statuses = []
    for flag, values in FLAG_STATUSES.items():
        for taxon_id in Taxon.objects.filter(**{flag: True}).values_list("pk", flat=True).iterator():
            statuses.append(TaxonStatus(
                taxon_id=taxon_id, territory="France métropolitaine", territory_code="TERFXFR", territory_level=0,
                source="saisie", **values,
            ))
    TaxonStatus.objects.bulk_create(statuses, batch_size=1000)


def statuses_to_flags(apps, schema_editor):
    TaxonStatus = apps.get_model("ressources", "TaxonStatus")
    TaxonStatus.objects.filter(source="saisie").delete()


class Migration(migrations.Migration):
    dependencies = [("ressources", "0006_taxon_statuses_atlas_fields")]

    operations = [migrations.RunPython(flags_to_statuses, statuses_to_flags)]
