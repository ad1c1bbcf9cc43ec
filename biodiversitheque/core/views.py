from django.shortcuts import render


def rate_limited(request, exception=None):
    """django-ratelimit's RATELIMIT_VIEW: a French 429 page instead of a bare 403."""
    response = render(request, "429.html", status=429)
    response["Retry-After"] = "60"
    return response
