# An event's time with its weekday: 2026年6月8日 星期一 14:00
DATETIME_FORMAT = "Y年n月j日 D H:i"
# In a text message or a list, where the year goes without saying: 6月8日 14:00
SHORT_DATETIME_FORMAT = "n月j日 H:i"
