-- SPDX-License-Identifier: GPL-3.0-or-later
-- The plain-SQL baseline: one row per event, one per profile, as an analyst would load the
-- canonical CSVs into the sqlite3 CLI. Empty CSV cells arrive as '' and are turned into
-- NULL (missing) by nullify.sql.
CREATE TABLE events (
  user_id  TEXT,
  event    TEXT,
  ts       INTEGER,   -- epoch ms, UTC
  product  TEXT,
  category TEXT,
  price    REAL,
  amount   REAL,
  items    INTEGER,
  url      TEXT,
  referrer TEXT,
  rating   INTEGER
);

CREATE TABLE profiles (
  user_id        TEXT,
  name           TEXT,
  email          TEXT,
  phone          TEXT,
  city           TEXT,
  country        TEXT,
  latitude       REAL,
  longitude      REAL,
  platform       TEXT,
  app_version    TEXT,
  signup_date    TEXT,   -- YYYY-MM-DD
  email_optin    TEXT,   -- 'true' / 'false' / NULL
  push_token     TEXT,
  push_optin     TEXT,
  sms_optin      TEXT,
  whatsapp_optin TEXT,
  test_user      TEXT
);
