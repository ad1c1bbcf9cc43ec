"""Open data of the calls: a summary for /api/appels/, each call as a `dispositif-aide` record and its
laureates as a SCDL « Subventions » table.

Required fields, copied from the schemas' documentation:
- dispositif-aide v0.1.0, https://schema.data.gouv.fr/etalab/schema-dispositif-aide/
- SCDL subventions 2.1.1, https://schema.data.gouv.fr/scdl/subventions/
"""

import uuid

from django.utils import timezone

from biodiversitheque.core.absolute_urls import absolute_url
from biodiversitheque.core.csvio import EXCHANGE, csv_response
from biodiversitheque.search.registry import join_text

from . import choices as c
from .territories import cog_codes

DISPOSITIF_AIDE_SCHEMA = "https://schema.data.gouv.fr/etalab/schema-dispositif-aide/"
DISPOSITIF_AIDE_REQUIRED = ("id", "titre", "description", "eligibilite", "types_aides", "porteurs", "cibles",
                            "eligibilite_geographique", "date_mise_a_jour")
SUBVENTIONS_SCHEMA = "https://schema.data.gouv.fr/scdl/subventions/"
SUBVENTIONS_FIELDS = ("nomAttribuant", "idAttribuant", "dateConvention", "referenceDecision", "nomBeneficiaire",
                      "idBeneficiaire", "rnaBeneficiaire", "objet", "montant", "nature", "conditionsVersement",
                      "datesPeriodeVersement", "idRAE", "notificationUE", "pourcentageSubvention",
                      "dispositifAide")
SUBVENTIONS_REQUIRED = ("nomAttribuant", "idAttribuant", "dateConvention", "nomBeneficiaire", "objet", "montant",
                        "nature", "conditionsVersement", "datesPeriodeVersement", "notificationUE",
                        "pourcentageSubvention")
# The schema's "cibles" categories, from our applicant types.
TARGETS = {"commune": "secteur public", "epci": "secteur public", "ccas": "secteur public",
           "centre_social": "associations", "association_habitants": "associations", "association": "associations",
           "groupement": "associations", "particulier": "particuliers", "autre": "professionnels"}
DEFAULT_COVERAGE = "PAYS-99100"


def _iso(moment):
    return timezone.localtime(moment).isoformat(timespec="seconds") if moment else None


def call_summary(call):
    return {
        "id": call.pk, "title": call.title, "url": absolute_url(call.url), "kind": call.kind,
        "kind_label": str(call.get_kind_display()), "opens_at": _iso(call.opens_at),
        "closes_at": _iso(call.closes_at), "status": call.status, "status_label": str(call.status_label),
        "budget_envelope": str(call.budget_envelope) if call.budget_envelope is not None else None,
        "per_project_cap": str(call.per_project_cap) if call.per_project_cap is not None else None,
        "dispositif_aide": absolute_url(f"/api/appels/{call.pk}/dispositif-aide.json"),
        "subventions": absolute_url(f"/api/appels/{call.pk}/subventions.csv") if call.results_published_at else None,
    }


def dispositif_uuid(call):
    # Stable without a write: derived from the page's own UUID-like identity when none is stored.
    return str(call.dispositif_id or uuid.uuid5(uuid.NAMESPACE_URL, f"biodiversitheque:call:{call.pk}"))


def dispositif_aide(call):
    eligibility = [f"• {label}" for label in call.applicant_type_labels()]
    if call.per_project_cap:
        eligibility.append(f"• Montant plafonné à {call.per_project_cap} € par projet")
    territories = [name or code for code, name in call.territories()]
    if territories:
        eligibility.append("• Territoires : " + ", ".join(territories))
    targets = sorted({TARGETS[code] for code in call.eligible_applicant_types or ()}) or \
        ["associations", "particuliers", "secteur public"]
    record = {
        "id": dispositif_uuid(call),
        "titre": call.title[:100],
        "promesse": (call.summary or "")[:180] or None,
        "description": (join_text([call.context]) or call.summary or call.title)[:5000],
        "eligibilite": "\n".join(eligibility) or "• Tout porteur de projet",
        "types_aides": "financement",
        "porteurs": [{"nom": call.funder_name or "Commune", "siren": (call.funder_siret or "")[:9] or None,
                      "roles": ["financeur", "instructeur"]}],
        "url_source": absolute_url(call.url),
        "cibles": "|".join(targets),
        "eligibilite_geographique": "|".join(cog_codes(call.territories())) or DEFAULT_COVERAGE,
        "date_ouverture": _iso(call.opens_at),
        "date_cloture": _iso(call.closes_at),
        "date_mise_a_jour": _iso(call.last_published_at or call.latest_revision_created_at or timezone.now()),
    }
    return {key: value for key, value in record.items() if value is not None}


def subventions_rows(call):
    for application in call.laureates().prefetch_related("instalments"):
        instalments = list(application.instalments.all())
        dates = [item.paid_on or item.due_date for item in instalments]
        decided = timezone.localdate(call.results_published_at)
        period = decided.isoformat() if not dates else (
            dates[0].isoformat() if len(dates) == 1 else f"{min(dates).isoformat()}/{max(dates).isoformat()}"
        )
        yield {
            "nomAttribuant": call.funder_name, "idAttribuant": call.funder_siret,
            "dateConvention": decided.isoformat(), "referenceDecision": application.number,
            "nomBeneficiaire": application.applicant_display, "idBeneficiaire": application.siret,
            "rnaBeneficiaire": application.rna, "objet": application.project_title[:255],
            "montant": f"{application.amount_granted:.2f}", "nature": "aide en numéraire",
            "conditionsVersement": "échelonné" if len(instalments) > 1 else "unique",
            "datesPeriodeVersement": period, "idRAE": "", "notificationUE": "non",
            "pourcentageSubvention": "1.00", "dispositifAide": dispositif_uuid(call),
        }


def subventions_response(call):
    rows = [[row[field] for field in SUBVENTIONS_FIELDS] for row in subventions_rows(call)]
    # The exchange dialect: the schema wants ISO dates and a decimal point; text cells stay neutralised.
    return csv_response(f"subventions-appel-{call.pk}.csv", list(SUBVENTIONS_FIELDS), rows, dialect=EXCHANGE)
