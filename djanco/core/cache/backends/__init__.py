"""Cache backends: the shared API (``base``) and one module per storage."""
