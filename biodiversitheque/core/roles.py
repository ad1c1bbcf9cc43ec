"""Names of the site-wide roles that several apps refer to; the portal sets them up (`portal.roles`)."""

LIBRARIANS_GROUP = "Bibliothécaires"
