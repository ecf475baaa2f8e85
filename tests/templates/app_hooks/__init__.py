"""An app whose ready() adds a template global and a filter."""
