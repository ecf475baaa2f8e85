"""The TechEmpower test types as a Django 6 project: settings, URLs, views, models."""
