"""An app whose template does not parse, for the template checks."""
