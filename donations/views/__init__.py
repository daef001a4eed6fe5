"""Staff pages for money in, one module per noun, and the public receipt check. Every
view: scoped getter → form → one service call → message + redirect."""
