from .calls import search_documents  # noqa: F401 - registers the calls' search provider
