"""Dates as readers say them, for what the build writes for the site (a map marker's popup)."""

from __future__ import annotations

import datetime


def human_date(value: object) -> str:
    """'Wednesday 7 May 2025' for a day, 'May 2025' for a month, '2025' for a year."""
    text = "" if value is None else str(value)
    try:
        if len(text) == 10:
            day = datetime.date.fromisoformat(text)
            return f"{day:%A} {day.day} {day:%B %Y}"
        if len(text) == 7:
            return datetime.date.fromisoformat(f"{text}-01").strftime("%B %Y")
    except ValueError:
        pass
    return text
