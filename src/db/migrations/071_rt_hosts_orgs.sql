-- 071: a roundtable's hosts are organisations on the platform (issue 12, "names, not numbers"):
-- hosts stored as names only get the organisation whose name they are, where exactly one active
-- organisation has that name (letter case and spaces aside: "IUC Stål&Verkstad" is "IUC Stål &
-- Verkstad"); like 034, these existing names count as confirmed.
-- New tables get their hosts through the type-ahead (roundtables/pages.c) or have the names
-- resolved by the model (roundtables/model.c, split_hosts_text).
UPDATE rt_hosts SET org_id = (
    SELECT o.id FROM organisations o WHERE replace(lower(o.name), ' ', '') = replace(lower(rt_hosts.name), ' ', '') AND o.status = 'active')
  WHERE org_id IS NULL
    AND (SELECT count(*) FROM organisations o WHERE replace(lower(o.name), ' ', '') = replace(lower(rt_hosts.name), ' ', '') AND o.status = 'active') = 1;
INSERT INTO rt_named_confirmed (kind, ref, org_id, confirmed_at)
  SELECT DISTINCT 'host', table_id, org_id, strftime('%Y-%m-%dT%H:%M:%SZ','now') FROM rt_hosts WHERE org_id IS NOT NULL
  ON CONFLICT DO NOTHING;
