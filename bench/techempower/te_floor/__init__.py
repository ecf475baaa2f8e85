"""The floor reference: bare Starlette routes and raw SQL through an asyncpg pool."""
