-- SPDX-License-Identifier: GPL-3.0-or-later
-- Covering indexes for the benchmark queries: time-range scans per event name, and per-user
-- lookups with the amount at hand for the aggregates.
CREATE INDEX events_event_ts_user ON events (event, ts, user_id);
CREATE INDEX events_event_user_ts_amount ON events (event, user_id, ts, amount);
CREATE UNIQUE INDEX profiles_user ON profiles (user_id);
CREATE INDEX profiles_city_user ON profiles (city, user_id);
ANALYZE;
