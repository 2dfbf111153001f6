# Mon 8 Jun 2026, 14:00
DATETIME_FORMAT = "D j M Y, H:i"
# 8 Jun, 14:00
SHORT_DATETIME_FORMAT = "j M, H:i"
# A day, as in the dates above: 8 Jun 2026 (Django's own English default would be "Jun. 8, 2026")
DATE_FORMAT = "j M Y"
