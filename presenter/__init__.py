"""Presenting live: the deck (slides, order, interval, theme, filters) and its URL, slide
content from public data, and the light audience view served to phones at /live.

Nothing here shows member-level or small numbers: every query runs as the public caller.
"""
