-- SPDX-License-Identifier: GPL-3.0-or-later
-- @NOW@ = now (epoch ms); @Dn@ = midnight UTC of (today - (n-1) days), so that
-- "last n days" = @Dn@ <= ts <= @NOW@ (FORMAT-SPEC windows, store timezone UTC).
-- Q8: per UTC day of the last 30 days, the number of distinct users who did Charged.
SELECT strftime('%Y-%m-%d', ts / 1000, 'unixepoch') AS day, count(DISTINCT user_id)
FROM events
WHERE event = 'Charged' AND ts BETWEEN @D30@ AND @NOW@
GROUP BY day ORDER BY day;
