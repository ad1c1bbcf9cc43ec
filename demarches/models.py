"""The app's models live in their procedure's package; importing them here registers them with Django."""
