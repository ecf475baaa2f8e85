"""Static files, as Django's staticfiles app: finders over each app's ``static/`` and
STATICFILES_DIRS, serving under STATIC_URL, ``djanco collectstatic`` (content-hashed names
with ManifestStaticFilesStorage) and ``djanco findstatic``."""
