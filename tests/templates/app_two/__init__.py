"""A second test app shipping templates."""
