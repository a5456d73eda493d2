-- SPDX-License-Identifier: GPL-3.0-or-later
-- @NOW@ = now (epoch ms); @Dn@ = midnight UTC of (today - (n-1) days), so that
-- "last n days" = @Dn@ <= ts <= @NOW@ (FORMAT-SPEC windows, store timezone UTC).
-- Q2: did Added To Cart in the last 30 days and did not do Charged in the last 30 days.
-- (EXCEPT is about 1.5x faster here than DISTINCT + correlated NOT EXISTS.)
SELECT count(*) FROM (
  SELECT user_id FROM events
  WHERE event = 'Added To Cart' AND ts BETWEEN @D30@ AND @NOW@
  EXCEPT
  SELECT user_id FROM events
  WHERE event = 'Charged' AND ts BETWEEN @D30@ AND @NOW@);
