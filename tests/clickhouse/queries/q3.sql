-- SPDX-License-Identifier: GPL-3.0-or-later
-- Hand-written ClickHouse SQL over the store's schema (events with parallel property arrays,
-- profile_props), as an analyst who knows it would write it. @NOW@ = now (epoch ms);
-- @Dn@ = midnight UTC of (today - (n-1) days): "last n days" = @Dn@ <= ts_ms <= @NOW@.
-- The users are everyone with an event or a profile row.
-- Q3: did Charged at least 3 times in the last 30 days.
SELECT count() AS n FROM (
  SELECT user_id FROM events
  WHERE event = 'Charged' AND ts_ms >= @D30@ AND ts_ms <= @NOW@
  GROUP BY user_id HAVING count() >= 3)
