"""Demo and measurement data: the ward of the 2024 plan with its people and records
(``manage.py seed_demo``) and the scale generator (``seed_demo --scale N``).

This app sits on the top floor: it may import every app, and nothing imports it. It
writes only through the apps' public services, or in bulk through their public numbering
and validators, so the demo shows what the services would have made.
"""
