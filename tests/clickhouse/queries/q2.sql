-- SPDX-License-Identifier: GPL-3.0-or-later
-- Hand-written ClickHouse SQL over the store's schema (events with parallel property arrays,
-- profile_props), as an analyst who knows it would write it. @NOW@ = now (epoch ms);
-- @Dn@ = midnight UTC of (today - (n-1) days): "last n days" = @Dn@ <= ts_ms <= @NOW@.
-- The users are everyone with an event or a profile row.
-- Q2: did Added To Cart in the last 30 days and did not do Charged in the last 30 days.
SELECT uniqExact(user_id) AS n FROM events
WHERE event = 'Added To Cart' AND ts_ms >= @D30@ AND ts_ms <= @NOW@
  AND user_id NOT IN (SELECT user_id FROM events
                      WHERE event = 'Charged' AND ts_ms >= @D30@ AND ts_ms <= @NOW@)
