"""Inspections and samples are the people's inspection board's records, written on its
pages with an audit event each (/quan-ly/giam-sat/); the administrator does not edit
them, so they are not in the admin."""
