"""Date formats per language, over Django's own (``FORMAT_MODULE_PATH``).

Templates name a format (``|date:"DATETIME_FORMAT"``) instead of spelling a
Chinese pattern, so an English page shows English dates. Only what differs
from Django's formats for the language is defined here.
"""
