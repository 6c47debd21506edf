"""The collector over HTTP: the Starlette app, its routes, reading requests, the server."""
