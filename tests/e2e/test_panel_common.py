"""Helpers shared by the panel tests."""
import unicodedata


def cell_width(text):
    """Terminal cells TEXT takes (wide East Asian and emoji: 2; combining: 0)."""
    width = 0
    for ch in text:
        if unicodedata.combining(ch):
            continue
        width += 2 if unicodedata.east_asian_width(ch) in ("W", "F") else 1
    return width
