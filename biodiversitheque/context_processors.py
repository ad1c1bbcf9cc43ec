from wagtail.models import Site


def site_navigation(request):
    """Main menu items: the live children of the site's root page marked 'show in menus'."""

    def menu_items():
        site = Site.find_for_request(request)
        if site is None:
            return []
        return list(site.root_page.get_children().live().public().in_menu())

    cache = {}

    def lazy():
        if "items" not in cache:
            cache["items"] = menu_items()
        return cache["items"]

    return {"menu_items": lazy}
