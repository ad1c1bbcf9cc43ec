from . import shell as page_shell


def site_navigation(request):
    """The page shell (menu, footer, town name), read from the cache on first use in a template."""
    cache = {}

    def lazy():
        if "shell" not in cache:
            cache["shell"] = page_shell.for_request(request)
        return cache["shell"]

    return {"shell": lazy}
