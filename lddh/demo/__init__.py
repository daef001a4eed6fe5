"""Demo and measurement data: the ward of the 2024 plan with its people and records
(``manage.py seed_demo``) and the scale generator (``seed_demo --scale N``).

This app sits on the top floor: it may import every app, and nothing imports it (a test
walks the imports). Money and register records are made through the apps' services,
so each has its receipt, ledger entry and audit event; reference data (the ward, its
groups, accounts, funds) is upserted directly. The scale generator writes in bulk, but
its numbers come from the services' locked counters and its rows pass the services'
checks.
"""
