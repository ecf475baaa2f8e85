"""The ASGI handler: builds the middleware chain, runs views, and turns exceptions into pages."""
