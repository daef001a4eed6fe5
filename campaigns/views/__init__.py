"""Campaign pages, one module per noun: the campaign, its plan, its board and targets,
its activities. Every view: scoped getter → form → one service call → message + redirect."""
