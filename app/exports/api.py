"""JSON API of exports and imports."""
