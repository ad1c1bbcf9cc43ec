import datetime

import recurrence

from ateliers.recurrences import PARIS, local_starts


def rule(text):
    return recurrence.deserialize(text, include_dtstart=False)


def test_no_rule_gives_the_first_date_only():
    starts = local_starts(recurrence.Recurrence(), datetime.date(2026, 5, 2), datetime.time(10), datetime.date(2027, 1, 1))
    assert starts == [datetime.datetime(2026, 5, 2, 10, tzinfo=PARIS)]


def test_weekly_rule_keeps_local_time_across_daylight_saving_changes():
    # 2026-03-29 and 2026-10-25 are the DST switches in France.
    starts = local_starts(
        rule("RRULE:FREQ=WEEKLY;BYDAY=SA"), datetime.date(2026, 3, 21), datetime.time(10), datetime.date(2026, 11, 1)
    )
    assert all(start.hour == 10 and start.tzinfo == PARIS for start in starts)
    utc_hours = {start.date(): start.astimezone(datetime.UTC).hour for start in starts}
    assert utc_hours[datetime.date(2026, 3, 21)] == 9  # UTC+1
    assert utc_hours[datetime.date(2026, 4, 4)] == 8  # UTC+2
    assert utc_hours[datetime.date(2026, 10, 31)] == 9  # back to UTC+1


def test_first_saturday_april_to_october_except_august():
    text = "RRULE:FREQ=MONTHLY;BYDAY=+1SA;BYMONTH=4,5,6,7,8,9,10\nEXRULE:FREQ=MONTHLY;BYMONTH=8;BYDAY=+1SA"
    starts = local_starts(rule(text), datetime.date(2026, 1, 1), datetime.time(9, 30), datetime.date(2026, 12, 31))
    assert [start.date() for start in starts] == [
        datetime.date(2026, 4, 4), datetime.date(2026, 5, 2), datetime.date(2026, 6, 6),
        datetime.date(2026, 7, 4), datetime.date(2026, 9, 5), datetime.date(2026, 10, 3),
    ]


def test_excluded_and_added_dates_match_by_day_whatever_the_time():
    text = "RRULE:FREQ=WEEKLY;BYDAY=WE\nEXDATE:20260520T000000Z\nRDATE:20260523T000000Z"
    starts = local_starts(rule(text), datetime.date(2026, 5, 13), datetime.time(18), datetime.date(2026, 5, 31))
    assert [start.date() for start in starts] == [
        datetime.date(2026, 5, 13), datetime.date(2026, 5, 23), datetime.date(2026, 5, 27),
    ]
    assert all(start.hour == 18 for start in starts)
