-- SPDX-License-Identifier: GPL-3.0-or-later
-- Hand-written ClickHouse SQL over the store's schema (events with parallel property arrays,
-- profile_props), as an analyst who knows it would write it. @NOW@ = now (epoch ms);
-- @Dn@ = midnight UTC of (today - (n-1) days): "last n days" = @Dn@ <= ts_ms <= @NOW@.
-- The users are everyone with an event or a profile row.
-- Q6: city = New York and did App Launched in the last 7 days, excluding Q3's segment.
SELECT count() AS n FROM (
  SELECT user_id FROM profile_props WHERE key = 'city'
  GROUP BY user_id HAVING argMax(str, updated_ms) = 'New York')
WHERE user_id IN (SELECT user_id FROM events
                  WHERE event = 'App Launched' AND ts_ms >= @D7@ AND ts_ms <= @NOW@)
  AND user_id NOT IN (SELECT user_id FROM events
                      WHERE event = 'Charged' AND ts_ms >= @D30@ AND ts_ms <= @NOW@
                      GROUP BY user_id HAVING count() >= 3)
