"""Analytics computed from the tracker's turn records: per-flow funnels, rates, feedback and the
review inbox's candidates. Nothing here runs on a turn's critical path: `ingest` reads conversations
the tracker changed since the last refresh and derives rows into the analytics database (SQLite by
default, PostgreSQL with the same statements), and the endpoints query those rows."""
