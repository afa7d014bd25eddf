"""Transport-free conversation logic: pure flows, the engine, and the red-flag analyzer.

Nothing in this package imports a transport library, an HTTP client, a database driver or
``bot/`` (a test pins this).
"""
