"""Demo: the « Données ouvertes » page under the home page, linked from the footer (site settings)."""

from wagtail.models import Site

from biodiversitheque.core.models import SiteSettings
from biodiversitheque.portal.models import HomePage, OpenDataPage

from .utils import rich_text, save_object, save_page

PAGE = {
    "title": "Données ouvertes",
    "summary": "Les données de la biodiversithèque à télécharger et à réutiliser librement : associations, "
               "agenda, espèces observées, permis de végétaliser, appels à projets, équipements.",
    "intro": "<p>La commune publie ici, dans des formats ouverts, les données que le site affiche. Elles sont mises "
             "à jour en continu : chaque lien donne l’état du jour. Le catalogue DCAT permet à data.gouv.fr et aux "
             "autres portails de les référencer automatiquement.</p>",
    "show_in_menus": False,
}


def load(log):
    home = HomePage.objects.get()
    values = {**PAGE, "intro": rich_text(PAGE["intro"])}
    page, status = save_page(home, OpenDataPage, "donnees-ouvertes", values)
    site_settings = SiteSettings.for_site(Site.objects.get(root_page=home))
    save_object(SiteSettings, {"pk": site_settings.pk}, {"open_data_page": page})
    log(f"Page « Données ouvertes » : {status}, {len(page.datasets())} jeux de données.")
