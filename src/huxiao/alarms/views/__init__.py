"""Pages of the alarms module: alarms and their response clock (``alarms``), test windows
(``test_windows``) and device credentials (``devices``)."""
