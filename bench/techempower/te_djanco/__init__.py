"""The TechEmpower test types as a Djanco project: settings, URLs, views, models."""
