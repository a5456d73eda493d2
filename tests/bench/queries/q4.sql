-- SPDX-License-Identifier: GPL-3.0-or-later
-- @NOW@ = now (epoch ms); @Dn@ = midnight UTC of (today - (n-1) days), so that
-- "last n days" = @Dn@ <= ts <= @NOW@ (FORMAT-SPEC windows, store timezone UTC).
-- Q4: total Charged.amount over the last 90 days > 100.
-- (The planner picks the (event, ts, user_id) index and looks up every amount in the
-- table; the covering per-user index is 3x faster, so name it.)
SELECT count(*) FROM (
  SELECT user_id FROM events INDEXED BY events_event_user_ts_amount
  WHERE event = 'Charged' AND ts BETWEEN @D90@ AND @NOW@
  GROUP BY user_id HAVING sum(amount) > 100);
