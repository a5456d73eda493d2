-- SPDX-License-Identifier: GPL-3.0-or-later
-- @NOW@ = now (epoch ms); @Dn@ = midnight UTC of (today - (n-1) days), so that
-- "last n days" = @Dn@ <= ts <= @NOW@ (FORMAT-SPEC windows, store timezone UTC).
-- Q5: average Charged.amount over the last 90 days < 20, users who did not do Charged in
-- that window included (their average counts as 0). The users are the profiles (seg-gen
-- writes a profile for every user).
SELECT count(*) FROM profiles p
LEFT JOIN (
  SELECT user_id, avg(amount) AS v FROM events
  WHERE event = 'Charged' AND ts BETWEEN @D90@ AND @NOW@
  GROUP BY user_id) a ON a.user_id = p.user_id
WHERE coalesce(a.v, 0) < 20;
