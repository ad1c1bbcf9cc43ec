"""The portal's name and the image collection every editor shares."""

from django.conf import settings
from wagtail.models import Collection, Site


def site_name():
    """The portal's name as people read it: the default Wagtail Site's, else settings.WAGTAIL_SITE_NAME."""
    name = Site.objects.filter(is_default_site=True).values_list("site_name", flat=True).first()
    return name or settings.WAGTAIL_SITE_NAME


SHARED_COLLECTION_NAME = "Images partagées"


def shared_image_collection():
    """The collection every editor, association members included, may choose images from."""
    root = Collection.get_first_root_node()
    if root is None:
        return None
    shared = root.get_children().filter(name=SHARED_COLLECTION_NAME).first()
    return shared or root.add_child(name=SHARED_COLLECTION_NAME)


# The portal (top layer) builds the home page and the indexes; lower apps ask for them through here.
_site_builder = None


def register_site_builder(builder):
    global _site_builder
    _site_builder = builder


def ensure_site_structure():
    """The home page, after the portal has created what an empty database lacks."""
    if _site_builder is None:
        raise RuntimeError("Aucun portail installé pour créer la structure du site.")
    return _site_builder()
