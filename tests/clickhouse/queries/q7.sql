-- SPDX-License-Identifier: GPL-3.0-or-later
-- Hand-written ClickHouse SQL over the store's schema (events with parallel property arrays,
-- profile_props), as an analyst who knows it would write it. @NOW@ = now (epoch ms);
-- @Dn@ = midnight UTC of (today - (n-1) days): "last n days" = @Dn@ <= ts_ms <= @NOW@.
-- The users are everyone with an event or a profile row.
-- Q7: some Added To Cart in the last 30 days, at least 10 minutes before now, with no
-- Charged in (ts, ts + 10 min]. (18.16 lets a lambda see a column only if the query also
-- names it outside lambdas: hence length(c).)
SELECT count() AS n FROM (
  SELECT user_id,
         groupArrayIf(ts_ms, event = 'Added To Cart' AND ts_ms <= @NOW@ - 600000) AS a,
         groupArrayIf(ts_ms, event = 'Charged') AS c
  FROM events
  WHERE event IN ('Added To Cart', 'Charged') AND ts_ms >= @D30@ AND ts_ms <= @NOW@
  GROUP BY user_id)
WHERE notEmpty(a) AND length(c) >= 0
  AND arrayExists(x -> NOT arrayExists(y -> y > x AND y <= x + 600000, c), a)
