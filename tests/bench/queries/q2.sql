-- SPDX-License-Identifier: GPL-3.0-or-later
-- @NOW@ = now (epoch ms); @Dn@ = midnight UTC of (today - (n-1) days), so that
-- "last n days" = @Dn@ <= ts <= @NOW@ (FORMAT-SPEC windows, store timezone UTC).
-- Q2: did Added To Cart in the last 30 days and did not do Charged in the last 30 days.
SELECT count(*) FROM (
  SELECT DISTINCT user_id FROM events
  WHERE event = 'Added To Cart' AND ts BETWEEN @D30@ AND @NOW@) a
WHERE NOT EXISTS (
  SELECT 1 FROM events c
  WHERE c.event = 'Charged' AND c.user_id = a.user_id AND c.ts BETWEEN @D30@ AND @NOW@);
