"""The procedures' open data in the core catalogue: granted greening permits (map, GeoJSON, CSV), the calls
for projects (dispositif-aide records) and their laureates (SCDL « Subventions »)."""

from django.db.models import Max
from django.urls import reverse
from django.utils.translation import gettext as _

from biodiversitheque.core.opendata import Dataset, Distribution

from .calls.exports import DISPOSITIF_AIDE_SCHEMA, SUBVENTIONS_SCHEMA
from .calls.models import CallIndexPage, CallPage
from .permits import choices as permit_choices
from .permits.models import GreeningCampaignPage, PermitRequest


def permits_datasets():
    campaign = GreeningCampaignPage.objects.live().public().first()
    if campaign is None:
        return []
    decided = PermitRequest.objects.filter(status__in=permit_choices.VALID_STATUSES).aggregate(
        last=Max("decided_at"))["last"]
    return [Dataset(
        key="permis-de-vegetaliser",
        title=_("Permis de végétaliser accordés"),
        description=_("Les permis de végétaliser en cours de validité : type de support (pied d’arbre, pied de "
                      "mur, jardinière…), rue, commune, année de la décision et point arrondi à 100 m environ. "
                      "Aucun nom ni numéro de porte."),
        distributions=[
            Distribution(_("Permis accordés (GeoJSON)"), reverse("permits_api"), "application/geo+json"),
            Distribution(_("Permis accordés (CSV)"), reverse("permits_api_csv"), "text/csv"),
        ],
        modified=decided or campaign.last_published_at,
        keywords=(_("végétalisation"), _("permis de végétaliser"), _("espace public"), _("biodiversité")),
        landing_path=campaign.url or "",
    )]


def _calls():
    return list(CallPage.objects.live().public().order_by("-closes_at", "pk"))


def calls_datasets():
    calls = _calls()
    if not calls:
        return []
    index = CallIndexPage.objects.live().public().first()
    landing = (index.url if index else calls[0].url) or ""
    found = [Dataset(
        key="appels-a-projets",
        title=_("Appels à projets"),
        description=_("Les appels à projets de la commune pour la nature en ville, avec leurs dates, leur "
                      "statut et, pour chacun, sa fiche au format « dispositif d’aide »."),
        distributions=[Distribution(_("Liste des appels à projets (JSON)"), reverse("calls_api"), "application/json")]
        + [Distribution(_("« %(call)s » : fiche dispositif d’aide (JSON)") % {"call": call.title},
                        reverse("calls_api_dispositif", args=[call.pk]), "application/json",
                        conforms_to=DISPOSITIF_AIDE_SCHEMA) for call in calls],
        modified=max((call.last_published_at for call in calls if call.last_published_at), default=None),
        keywords=(_("appel à projets"), _("subventions"), _("biodiversité"), _("associations")),
        landing_path=landing,
    )]
    published = [call for call in calls if call.results_published_at]
    if published:
        found.append(Dataset(
            key="appels-a-projets-laureats",
            title=_("Lauréats des appels à projets et subventions accordées"),
            description=_("Les projets retenus par le comité et les montants accordés, au format national des "
                          "subventions (SCDL) : un fichier par appel dont les résultats sont publiés."),
            distributions=[Distribution(_("« %(call)s » : subventions accordées (CSV)") % {"call": call.title},
                                        reverse("calls_api_subventions", args=[call.pk]), "text/csv",
                                        conforms_to=SUBVENTIONS_SCHEMA) for call in published],
            modified=max(call.results_published_at for call in published),
            keywords=(_("subventions"), _("lauréats"), _("appel à projets")),
            conforms_to=SUBVENTIONS_SCHEMA,
            landing_path=published[0].url + "laureats/" if published[0].url else "",
        ))
    return found


def datasets():
    return permits_datasets() + calls_datasets()
