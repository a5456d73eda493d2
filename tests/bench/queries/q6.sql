-- SPDX-License-Identifier: GPL-3.0-or-later
-- @NOW@ = now (epoch ms); @Dn@ = midnight UTC of (today - (n-1) days), so that
-- "last n days" = @Dn@ <= ts <= @NOW@ (FORMAT-SPEC windows, store timezone UTC).
-- Q6: city = New York and did App Launched in the last 7 days, excluding Q3's segment.
SELECT count(*) FROM profiles p
WHERE p.city = 'New York'
  AND EXISTS (
    SELECT 1 FROM events e
    WHERE e.event = 'App Launched' AND e.user_id = p.user_id AND e.ts BETWEEN @D7@ AND @NOW@)
  AND p.user_id NOT IN (
    SELECT user_id FROM events
    WHERE event = 'Charged' AND ts BETWEEN @D30@ AND @NOW@
    GROUP BY user_id HAVING count(*) >= 3);
