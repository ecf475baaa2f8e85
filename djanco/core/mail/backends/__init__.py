"""Email backends: the base class and ``get_connection``, and one module per way of sending."""
