from django import template

from biodiversitheque.core.sites import site_name

register = template.Library()


@register.simple_tag
def site_display_name():
    """The default Site's name (the town's portal), else WAGTAIL_SITE_NAME."""
    return site_name()
