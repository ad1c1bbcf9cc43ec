"""Create the pages a portal needs (home, resources index, directory) on an empty database."""

from django.db import transaction
from django.utils.translation import gettext as _
from wagtail.models import Page, Site

from associations.models import AssociationIndexPage
from ressources.models import ResourceIndexPage, SpeciesIndexPage

from .models import HomePage


@transaction.atomic
def ensure_site_structure():
    """Return the home page, replacing Wagtail's welcome page and adding missing indexes."""
    home = HomePage.objects.first()
    if home is None:
        root = Page.get_first_root_node()
        home = HomePage(
            title=_("Biodiversithèque"),
            slug="accueil",
            summary=_("Le lieu des ressources, des ateliers et des associations pour la nature de la commune."),
        )
        root.add_child(instance=home)
        home.save_revision().publish()
        site = Site.objects.filter(is_default_site=True).first()
        welcome = site.root_page if site else None
        if site is None:
            Site.objects.create(hostname="localhost", port=80, root_page=home, is_default_site=True,
                                site_name=_("Biodiversithèque"))
        else:
            site.root_page = home
            site.save()
        if welcome is not None and welcome.pk != home.pk and welcome.specific_class is Page:
            welcome.delete()
    home = HomePage.objects.get(pk=home.pk)
    if not ResourceIndexPage.objects.child_of(home).exists():
        _add_child(home, ResourceIndexPage(title=_("Ressources"), slug="ressources", show_in_menus=True,
                                           summary=_("Guides citoyens, inventaires naturalistes et formations.")))
    if not AssociationIndexPage.objects.exists():
        _add_child(home, AssociationIndexPage(title=_("Associations"), slug="associations", show_in_menus=True,
                                              summary=_("Les associations qui agissent pour la nature près de chez vous.")))
    if not SpeciesIndexPage.objects.exists():
        _add_child(home, SpeciesIndexPage(title=_("Espèces"), slug="especes", show_in_menus=False,
                                          summary=_("Les espèces observées dans la commune, leurs statuts et leurs cartes.")))
    return home


def _add_child(parent, page):
    parent.add_child(instance=page)
    page.save_revision().publish()
    return page
