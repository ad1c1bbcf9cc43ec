"""One paginator for every listing: never raises on a bad or out-of-range page number."""

from django.core.paginator import Paginator


def paginate(request, object_list, per_page, param="page"):
    paginator = Paginator(object_list, per_page)
    return paginator.get_page(request.GET.get(param))
