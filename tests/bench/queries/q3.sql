-- SPDX-License-Identifier: GPL-3.0-or-later
-- @NOW@ = now (epoch ms); @Dn@ = midnight UTC of (today - (n-1) days), so that
-- "last n days" = @Dn@ <= ts <= @NOW@ (FORMAT-SPEC windows, store timezone UTC).
-- Q3: did Charged at least 3 times in the last 30 days.
SELECT count(*) FROM (
  SELECT user_id FROM events
  WHERE event = 'Charged' AND ts BETWEEN @D30@ AND @NOW@
  GROUP BY user_id HAVING count(*) >= 3);
