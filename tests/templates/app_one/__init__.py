"""A test app shipping templates: wins over app_two when listed first."""
