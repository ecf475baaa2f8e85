"""The TechEmpower test types with FastAPI, the SQLAlchemy 2 async ORM (asyncpg) and Jinja2."""
