"""The glossary's figure names and sentences in templates (lddh/ward/figures.py):
``{% figure_name "raised" %}`` and ``{% figure_note "raised" %}``."""

from django import template

from lddh.ward.figures import figure

register = template.Library()


@register.simple_tag
def figure_name(key: str) -> str:
    return figure(key).name


@register.simple_tag
def figure_note(key: str) -> str:
    return figure(key).explanation


@register.simple_tag
def figures_of(keys: str) -> list:
    """The glossary entries named in ``keys`` (space-separated), for a "what these
    figures mean" list: ``{% figures_of "opening received" as items %}``."""
    return [figure(key) for key in keys.split()]
