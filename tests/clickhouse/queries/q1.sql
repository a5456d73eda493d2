-- SPDX-License-Identifier: GPL-3.0-or-later
-- Hand-written ClickHouse SQL over the store's schema (events with parallel property arrays,
-- profile_props), as an analyst who knows it would write it. @NOW@ = now (epoch ms);
-- @Dn@ = midnight UTC of (today - (n-1) days): "last n days" = @Dn@ <= ts_ms <= @NOW@.
-- The users are everyone with an event or a profile row.
-- Q1: did Charged in the last 30 days.
SELECT uniqExact(user_id) AS n FROM events
WHERE event = 'Charged' AND ts_ms >= @D30@ AND ts_ms <= @NOW@
