-- SPDX-License-Identifier: GPL-3.0-or-later
-- Hand-written ClickHouse SQL over the store's schema (events with parallel property arrays,
-- profile_props), as an analyst who knows it would write it. @NOW@ = now (epoch ms);
-- @Dn@ = midnight UTC of (today - (n-1) days): "last n days" = @Dn@ <= ts_ms <= @NOW@.
-- The users are everyone with an event or a profile row.
-- Q5: average Charged.amount over the last 90 days < 20, users who did not do Charged
-- included: everyone but those whose average is >= 20.
SELECT (SELECT uniqExact(user_id) FROM (SELECT user_id FROM events
                                        UNION ALL SELECT user_id FROM profile_props))
     - (SELECT count() FROM (
          SELECT user_id FROM events
          WHERE event = 'Charged' AND ts_ms >= @D90@ AND ts_ms <= @NOW@
            AND has(prop_keys, 'amount')
          GROUP BY user_id HAVING avg(prop_num[indexOf(prop_keys, 'amount')]) >= 20)) AS n
