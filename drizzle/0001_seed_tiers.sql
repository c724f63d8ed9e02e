-- Seeded tiers (contract section 5). Admins edit them and add more; NULL means unlimited.
INSERT INTO "tiers" ("id", "name", "burst_per_second", "per_minute", "per_day", "per_month") VALUES
  ('tier_free', 'free', 5, 60, 1000, 10000),
  ('tier_pro', 'pro', 50, 1000, 100000, 2000000),
  ('tier_enterprise', 'enterprise', 500, 20000, NULL, NULL)
ON CONFLICT ("id") DO NOTHING;
