"""The mysite project: settings, URL routes, views and the ASGI entry point."""
