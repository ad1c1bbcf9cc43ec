from .calls import search_documents  # noqa: F401 - registers the calls' search provider
from .permits import search_documents as permit_documents  # noqa: F401 - and the permits' campaign page
