-- SPDX-License-Identifier: GPL-3.0-or-later
-- The sqlite3 CLI's .import stores an empty cell as ''. In the canonical CSV an empty cell
-- means "missing", so make those NULL (the generated definitions' SQL relies on it).
UPDATE events SET
  product  = NULLIF(product, ''),
  category = NULLIF(category, ''),
  price    = NULLIF(price, ''),
  amount   = NULLIF(amount, ''),
  items    = NULLIF(items, ''),
  url      = NULLIF(url, ''),
  referrer = NULLIF(referrer, ''),
  rating   = NULLIF(rating, '');

UPDATE profiles SET
  email          = NULLIF(email, ''),
  phone          = NULLIF(phone, ''),
  city           = NULLIF(city, ''),
  country        = NULLIF(country, ''),
  latitude       = NULLIF(latitude, ''),
  longitude      = NULLIF(longitude, ''),
  platform       = NULLIF(platform, ''),
  app_version    = NULLIF(app_version, ''),
  signup_date    = NULLIF(signup_date, ''),
  email_optin    = NULLIF(email_optin, ''),
  push_token     = NULLIF(push_token, ''),
  push_optin     = NULLIF(push_optin, ''),
  sms_optin      = NULLIF(sms_optin, ''),
  whatsapp_optin = NULLIF(whatsapp_optin, ''),
  test_user      = NULLIF(test_user, '');
