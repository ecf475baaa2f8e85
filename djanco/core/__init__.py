"""Framework-wide pieces on several floors: exceptions and validators, the checks framework,
and the ASGI handler (the top floor)."""
