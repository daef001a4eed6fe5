"""Residents' feedback (phản ánh, kiến nghị): sent from the public form without signing
in (lddh/public/feedback.py), handled by the inspection team and the standing committee
(the staff pages here), followed by the sender with a tracking code."""
