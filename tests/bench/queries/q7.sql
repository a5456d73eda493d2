-- SPDX-License-Identifier: GPL-3.0-or-later
-- @NOW@ = now (epoch ms); @Dn@ = midnight UTC of (today - (n-1) days), so that
-- "last n days" = @Dn@ <= ts <= @NOW@ (FORMAT-SPEC windows, store timezone UTC).
-- Q7: some Added To Cart in the last 30 days, at least 10 minutes before now, with no
-- Charged in (ts, ts + 10 min].
SELECT count(DISTINCT a.user_id) FROM events a
WHERE a.event = 'Added To Cart' AND a.ts BETWEEN @D30@ AND @NOW@ AND a.ts + 600000 <= @NOW@
  AND NOT EXISTS (
    SELECT 1 FROM events c
    WHERE c.event = 'Charged' AND c.user_id = a.user_id
      AND c.ts > a.ts AND c.ts <= a.ts + 600000);
