-- SPDX-License-Identifier: GPL-3.0-or-later
-- @NOW@ = now (epoch ms); @Dn@ = midnight UTC of (today - (n-1) days), so that
-- "last n days" = @Dn@ <= ts <= @NOW@ (FORMAT-SPEC windows, store timezone UTC).
-- Q4: total Charged.amount over the last 90 days > 100.
SELECT count(*) FROM (
  SELECT user_id FROM events
  WHERE event = 'Charged' AND ts BETWEEN @D90@ AND @NOW@
  GROUP BY user_id HAVING sum(amount) > 100);
