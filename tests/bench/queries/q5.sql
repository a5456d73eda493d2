-- SPDX-License-Identifier: GPL-3.0-or-later
-- @NOW@ = now (epoch ms); @Dn@ = midnight UTC of (today - (n-1) days), so that
-- "last n days" = @Dn@ <= ts <= @NOW@ (FORMAT-SPEC windows, store timezone UTC).
-- Q5: average Charged.amount over the last 90 days < 20, users who did not do Charged in
-- that window included (their average counts as 0). So: every user but those whose
-- average is >= 20. The users are the profiles (seg-gen writes a profile for every user).
-- The literal form, profiles LEFT JOIN per-user averages WHERE coalesce(avg, 0) < 20,
-- gives the same count 7x slower.
SELECT (SELECT count(*) FROM profiles) - (
  SELECT count(*) FROM (
    SELECT user_id FROM events INDEXED BY events_event_user_ts_amount
    WHERE event = 'Charged' AND ts BETWEEN @D90@ AND @NOW@
    GROUP BY user_id HAVING avg(amount) >= 20));
